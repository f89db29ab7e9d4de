// validate-cdx.js FILE.json: validates a CycloneDX 1.5 JSON document with the official schema
// through @cyclonedx/cyclonedx-library's strict validator (offline; schemas ship in the package).
// Prints VALID (exit 0) or the errors (exit 1).
const path = require('path');
const { Validation } = require(path.join(process.env.NPM_DIR || 'build/npm', 'node_modules/@cyclonedx/cyclonedx-library'));
const data = require('fs').readFileSync(process.argv[2], 'utf8');
new Validation.JsonStrictValidator('1.5').validate(data).then(e => {
  console.log(e === null ? 'VALID' : JSON.stringify(e));
  process.exitCode = e === null ? 0 : 1;
}, e => { console.log(String(e)); process.exitCode = 2; });
