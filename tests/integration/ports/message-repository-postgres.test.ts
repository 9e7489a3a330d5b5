import { messageRepositorySuite } from "../../support/port-suites/message-repository.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"

messageRepositorySuite("MessageRepository on PostgreSQL", sqlPorts())
