import { contactMergeRepositorySuite } from "../../support/port-suites/contact-merge-repository.ts"
import { contactReferencesSuite } from "../../support/port-suites/contact-references.ts"
import { contactRepositorySuite } from "../../support/port-suites/contact-repository.ts"
import { idempotencyStoreSuite } from "../../support/port-suites/idempotency-store.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"
import { tokenRepositorySuite } from "../../support/port-suites/token-repository.ts"
import { transactorSuite } from "../../support/port-suites/transactor.ts"

// The port suites the in-memory layers pass (tests/unit/ports), on PostgreSQL.
// Grouped in two files rather than one per port: loading the modules and
// making a database are most of an integration file's time.
const ports = sqlPorts()

contactRepositorySuite("ContactRepository on PostgreSQL", ports)
contactMergeRepositorySuite("ContactMergeRepository on PostgreSQL", ports)
contactReferencesSuite("ContactReferences on PostgreSQL", ports)
tokenRepositorySuite("TokenRepository on PostgreSQL", ports)
idempotencyStoreSuite("IdempotencyStore on PostgreSQL", ports)
transactorSuite("Transactor and DatabaseHealth on PostgreSQL", ports)
