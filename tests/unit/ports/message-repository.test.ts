import { memoryPorts } from "../../support/port-suites/memory-ports.ts"
import { messageRepositorySuite } from "../../support/port-suites/message-repository.ts"

messageRepositorySuite("MessageRepository in memory", memoryPorts)
