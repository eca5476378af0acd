#!/usr/bin/env node
// The installed `strata` command: the built CLI (npm run build makes dist/).
import { main } from '../dist/cli/main.js';
await main();
