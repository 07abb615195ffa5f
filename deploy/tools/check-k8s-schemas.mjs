// Offline schema check for rendered Kubernetes manifests.
//   node deploy/tools/check-k8s-schemas.mjs rendered.json
// rendered.json: a JSON array of objects (validate.sh renders deploy/k8s with kustomize).
// Two passes, because each catches what the other cannot:
//  1. kubernetes-models' JSON-schema validators (types, required fields, enums) per apiVersion/kind;
//  2. TypeScript excess-property checks against the same models' types, which reject unknown
//     fields (a misspelt `readinesProbe` passes JSON-schema validation but not this).
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));

// apiVersion -> module exporting the kinds of that group/version.
function moduleFor(apiVersion) {
  if (apiVersion.startsWith("keda.sh/")) return `@kubernetes-models/keda/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
}

let failures = 0;
const typed = [];
for (const [i, obj] of objects.entries()) {
  const label = `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
  let mod;
  try {
    mod = await import(moduleFor(obj.apiVersion ?? ""));
  } catch {
    console.error(`FAIL ${label}: no schema for apiVersion ${obj.apiVersion}`);
    failures++;
    continue;
  }
  const Model = mod[obj.kind];
  if (!Model) {
    console.error(`FAIL ${label}: no schema for kind ${obj.kind} in ${obj.apiVersion}`);
    failures++;
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`ok   ${label} (${obj.apiVersion})`);
  } catch (e) {
    console.error(`FAIL ${label}: ${e.message}`);
    failures++;
  }
  typed.push({ i, label, module: `${moduleFor(obj.apiVersion)}/${obj.kind}`, kind: obj.kind, obj });
}

// Pass 2: one const per object, typed with the model's interface; tsc reports unknown properties.
const work = mkdtempSync(join(here, ".tscheck-"));
try {
  const lines = typed.map((t) => `import type { I${t.kind} as T${t.i} } from "${t.module}";`);
  for (const t of typed) lines.push(`export const o${t.i}: T${t.i} = ${JSON.stringify(t.obj, null, 2)};`);
  const text = lines.join("\n").split("\n");
  // Where each object's literal starts, to name the object a diagnostic belongs to.
  const starts = [];
  text.forEach((l, n) => { const m = /^export const o(\d+):/.exec(l); if (m) starts.push({ line: n + 1, i: Number(m[1]) }); });
  writeFileSync(join(work, "manifests.ts"), text.join("\n"));
  const require = createRequire(import.meta.url);
  const ts = require("typescript");
  const program = ts.createProgram([join(work, "manifests.ts")], {
    noEmit: true, strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [],
  });
  const diags = ts.getPreEmitDiagnostics(program);
  for (const d of diags) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    let owner = "?";
    if (d.file && d.start !== undefined) {
      const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
      const s = starts.filter((x) => x.line <= line).pop();
      const t = s && typed.find((x) => x.i === s.i);
      owner = t ? `${t.label} (line ${line - s.line + 1} of its JSON)` : `line ${line}`;
    }
    console.error(`FAIL ${owner}: ${msg.split("\n").slice(0, 3).join(" / ")}`);
    failures++;
  }
  if (diags.length === 0) console.log(`ok   no unknown or mistyped fields in ${typed.length} objects (TypeScript ${ts.version})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures) {
  console.error(`${failures} schema problem(s)`);
  process.exit(1);
}
