import { campaignRepositorySuite } from "../../support/port-suites/campaign-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

campaignRepositorySuite("CampaignRepository in memory", memoryPorts)
