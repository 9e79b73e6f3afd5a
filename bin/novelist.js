#!/usr/bin/env node
// The `novelist` command: registers tsx so the TypeScript sources run directly, then hands over.
import { register } from "tsx/esm/api";

register();
const { runFromProcess } = await import("../src/cli/main.ts");
await runFromProcess();
