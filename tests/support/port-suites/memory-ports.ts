import { TestPorts } from "../../../application/testing/index.ts"
import type { MakePorts } from "./ports.ts"

/** The in-memory ports the unit tests run on. */
export const memoryPorts: MakePorts = () => TestPorts
