import type { Route } from "../route.ts"
import { contactRoutes } from "./contact-routes.ts"
import { healthRoutes } from "./health-routes.ts"
import { tokenRoutes } from "./token-routes.ts"

/** Every route; a more specific path comes before a parameterised one it overlaps. */
export const routes: ReadonlyArray<Route> = [...healthRoutes, ...contactRoutes, ...tokenRoutes]
