#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm install` (postinstall) or `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('kafka-lab is not built yet. Run `npm install` (or `npm run build`) in the project folder first.');
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .catch((error) => {
    console.error(error?.message ? error.message : String(error));
    process.exit(1);
  });
