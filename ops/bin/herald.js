#!/usr/bin/env node
// The package.json bin of `herald`. npx puts node_modules/.bin first on PATH, so `node` here is
// the pinned Node 24, which runs the TypeScript entry point as it is (type stripping).
import '../herald.ts';
