// Compile a JSON Schema 2020-12 document with ajv in strict mode (ajv-formats for "format") and
// give the verdict on each document. Used by tests/shapes/test_schema_in_ajv.py.
//   node validate-schema.mjs SCHEMA.json < [{"name": ..., "text": ...}, ...]
// prints {"name": {"valid": bool, "errors": [...]}, ...}; exits 2 when the schema does not compile.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const schema = JSON.parse(readFileSync(process.argv[2], "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(schema);
} catch (error) {
  console.error(`the schema does not compile: ${error.message}`);
  process.exit(2);
}

const verdicts = {};
for (const { name, text } of JSON.parse(readFileSync(0, "utf8"))) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    verdicts[name] = { valid: false, errors: [`not JSON: ${error.message}`] };
    continue;
  }
  const valid = validate(doc);
  verdicts[name] = { valid, errors: (validate.errors || []).map((e) => `${e.instancePath} ${e.message}`) };
}
console.log(JSON.stringify(verdicts));
