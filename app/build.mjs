// Builds the app into app/dist: src/main.ts bundled (with the ABIs from the
// repository's generated abi/*.json) by esbuild, plus index.html and style.css.
// Idempotent: every run rewrites dist/ from the sources.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(here, "src/main.ts")],
  outfile: join(dist, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  logLevel: "warning",
});
for (const file of ["index.html", "style.css"]) {
  cpSync(join(here, "static", file), join(dist, file));
}
console.log(`app built into ${dist}`);
