import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

/**
 * The API reference at /docs, with its viewer (swagger-ui-dist, pinned in
 * package.json) served from node_modules by this server: no CDN, so the docs
 * work offline and show the version that was installed and tested.
 */
export const DOCS_ASSETS_PATH = "/docs/assets"

const distDirectory = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))

/** The viewer's files, by the name they are served under. */
export const DOCS_ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8"
}

// Read once, on first request: about 2 MB that a server without docs readers never loads.
const cache = new Map<string, Promise<string>>()
export const docsAsset = (name: string): Promise<string> | undefined => {
  if (!Object.hasOwn(DOCS_ASSETS, name)) return undefined
  const known = cache.get(name)
  if (known !== undefined) return known
  const loading = readFile(join(distDirectory, name), "utf8")
  cache.set(name, loading)
  return loading
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

export const docsPage = (title: string, documentUrl: string): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
  </head>
  <body>
    <div id="docs"></div>
    <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script>
      // validatorUrl: null: the viewer would otherwise send the document to an online validator.
      window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentUrl)}, dom_id: "#docs", deepLinking: true, validatorUrl: null })
    </script>
  </body>
</html>
`
