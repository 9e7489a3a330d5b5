import { campaignRepositorySuite } from "../../support/port-suites/campaign-repository.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"

campaignRepositorySuite("CampaignRepository on PostgreSQL", sqlPorts())
