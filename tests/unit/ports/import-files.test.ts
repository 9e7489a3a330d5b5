import { MemoryImportFiles } from "../../../application/testing/memory-import-files.ts"
import { importFilesSuite } from "../../support/port-suites/import-files.ts"

// The reader the import use-case tests run on, held to the same behaviour as the
// streaming CSV adapter (import-files-live.test.ts).
importFilesSuite("ImportFiles in memory", MemoryImportFiles)
