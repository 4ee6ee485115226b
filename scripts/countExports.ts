/**
 * Counts the names a module exports (values and types), through the compiler:
 * `node --import tsx scripts/countExports.ts [src/index.ts ...]`. Used to keep
 * the public face (src/index.ts) a short, reviewable list.
 */
import path from 'node:path';
import ts from 'typescript';

const files = process.argv.slice(2).length ? process.argv.slice(2) : ['src/index.ts'];
const program = ts.createProgram(files, {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
for (const file of files) {
  const source = program.getSourceFile(path.resolve(file)) ?? program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  const names = symbol ? checker.getExportsOfModule(symbol).map((s) => s.getName()) : [];
  process.stdout.write(`${file}: ${names.length} exported names\n`);
  if (process.env.LIST === '1') process.stdout.write(`${names.sort().join('\n')}\n`);
}
