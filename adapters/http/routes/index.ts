import type { Route } from "../route.ts"
import { contactRoutes } from "./contact-routes.ts"
import { healthRoutes } from "./health-routes.ts"
import { rootRoutes } from "./root-routes.ts"
import { billingRoutes } from "./billing-routes.ts"
import { campaignRoutes } from "./campaign-routes.ts"
import { customerRoutes } from "./customer-routes.ts"
import { customerServiceRoutes } from "./customer-service-routes.ts"
import { importRoutes } from "./import-routes.ts"
import { invoiceRoutes } from "./invoice-routes.ts"
import { jobRoutes } from "./job-routes.ts"
import { listRoutes } from "./list-routes.ts"
import { messageRoutes } from "./message-routes.ts"
import { optOutRoutes } from "./opt-out-routes.ts"
import { propertyRoutes } from "./property-routes.ts"
import { quickBooksRoutes } from "./quickbooks-routes.ts"
import { quoteRoutes } from "./quote-routes.ts"
import { sandboxRoutes } from "./sandbox-routes.ts"
import { serviceRoutes } from "./service-routes.ts"
import { smsRoutes } from "./sms-routes.ts"
import { tokenRoutes } from "./token-routes.ts"
import { webhookRoutes } from "./webhook-routes.ts"
import { quickBooksConnectRoutes } from "./quickbooks-connect-routes.ts"
import { quickBooksWebhookRoutes } from "./quickbooks-webhook-routes.ts"

/** Every route; a more specific path comes before a parameterised one it overlaps. */
export const routes: ReadonlyArray<Route> = [
  ...rootRoutes,
  ...healthRoutes,
  ...contactRoutes,
  ...messageRoutes,
  ...optOutRoutes,
  ...smsRoutes,
  ...propertyRoutes,
  ...sandboxRoutes,
  ...tokenRoutes,
  ...jobRoutes,
  ...customerRoutes,
  ...serviceRoutes,
  ...customerServiceRoutes,
  ...quoteRoutes,
  ...invoiceRoutes,
  ...billingRoutes,
  ...webhookRoutes,
  ...quickBooksConnectRoutes,
  ...quickBooksWebhookRoutes,
  ...listRoutes,
  ...importRoutes,
  ...campaignRoutes,
  ...quickBooksRoutes
]
