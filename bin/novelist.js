#!/usr/bin/env node
// The `novelist` command: registers tsx so the TypeScript sources run directly, then hands over.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
