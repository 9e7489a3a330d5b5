import { ImportFilesLive } from "../../../adapters/import/import-files-layer.ts"
import { importFilesSuite } from "../../support/port-suites/import-files.ts"

// The streaming CSV adapter needs no database: its suite runs with the unit tests.
importFilesSuite("ImportFiles: the streaming CSV adapter", ImportFilesLive)
