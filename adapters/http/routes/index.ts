import type { Route } from "../route.ts"
import { contactRoutes } from "./contact-routes.ts"
import { healthRoutes } from "./health-routes.ts"
import { rootRoutes } from "./root-routes.ts"
import { billingRoutes } from "./billing-routes.ts"
import { customerRoutes } from "./customer-routes.ts"
import { customerServiceRoutes } from "./customer-service-routes.ts"
import { invoiceRoutes } from "./invoice-routes.ts"
import { quoteRoutes } from "./quote-routes.ts"
import { serviceRoutes } from "./service-routes.ts"
import { tokenRoutes } from "./token-routes.ts"

/** Every route; a more specific path comes before a parameterised one it overlaps. */
export const routes: ReadonlyArray<Route> = [
  ...rootRoutes,
  ...healthRoutes,
  ...contactRoutes,
  ...tokenRoutes,
  ...customerRoutes,
  ...serviceRoutes,
  ...customerServiceRoutes,
  ...quoteRoutes,
  ...invoiceRoutes,
  ...billingRoutes
]
