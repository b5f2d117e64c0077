import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { appRoot } from '../../../node-common/app-paths';
import { LANDMARK_CATEGORIES, type LandmarkCategory } from '../../../shared/area/tile-schema';

/** The one font labels use: Noto Sans from the tileserver-gl-styles npm package (SIL Open Font License 1.1). */
export const LABEL_FONT = 'Noto Sans Regular';

const resolvePackageFile = (specifier: string) => createRequire(join(appRoot(), 'package.json')).resolve(specifier);
const packageDir = (name: string) => dirname(resolvePackageFile(`${name}/package.json`));

/** Copies the label font's glyph ranges (MapLibre's PBF glyphs) into an area folder. */
export function copyGlyphs(areaDir: string): string[] {
  const from = join(packageDir('tileserver-gl-styles'), 'fonts', LABEL_FONT);
  const to = join(areaDir, 'glyphs', LABEL_FONT);
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from)) if (file.endsWith('.pbf')) copyFileSync(join(from, file), join(to, file));
  writeFileSync(
    join(areaDir, 'glyphs', 'NOTICE.txt'),
    `${LABEL_FONT}: Noto Sans, © Google, under the SIL Open Font License 1.1 (https://openfontlicense.org).\n` +
      'Glyph ranges from the npm package tileserver-gl-styles.\n',
  );
  return [LABEL_FONT];
}

/** Which Maki icon (CC0, npm @mapbox/maki) draws each landmark category. */
const ICONS: Record<LandmarkCategory, string> = {
  police: 'police',
  fire_station: 'fire-station',
  hospital: 'hospital',
  doctor: 'doctor',
  pharmacy: 'pharmacy',
  school: 'school',
  college: 'college',
  station: 'rail',
  bus_station: 'bus',
  pub: 'beer',
  supermarket: 'grocery',
  shop: 'shop',
  shopping_centre: 'shop',
  place_of_worship: 'place-of-worship',
  library: 'library',
  town_hall: 'town-hall',
  park: 'park',
  other: 'marker',
};

/** Badge colours by theme: emergency services stand out (police blue, fire red, health green). */
const BADGES: Record<'light' | 'dark', Record<LandmarkCategory, string>> = {
  light: {
    police: '#1f4fbf',
    fire_station: '#c62828',
    hospital: '#00796b',
    doctor: '#00796b',
    pharmacy: '#00796b',
    school: '#8d6e00',
    college: '#8d6e00',
    station: '#37474f',
    bus_station: '#37474f',
    pub: '#9c5b00',
    supermarket: '#7b3fa0',
    shop: '#7b3fa0',
    shopping_centre: '#7b3fa0',
    place_of_worship: '#5d4037',
    library: '#455a64',
    town_hall: '#455a64',
    park: '#2e7d32',
    other: '#546e7a',
  },
  dark: {
    police: '#4d7ef0',
    fire_station: '#ef5350',
    hospital: '#26a69a',
    doctor: '#26a69a',
    pharmacy: '#26a69a',
    school: '#c9a227',
    college: '#c9a227',
    station: '#78909c',
    bus_station: '#78909c',
    pub: '#d98c2b',
    supermarket: '#ab6fd1',
    shop: '#ab6fd1',
    shopping_centre: '#ab6fd1',
    place_of_worship: '#a1887f',
    library: '#90a4ae',
    town_hall: '#90a4ae',
    park: '#66bb6a',
    other: '#90a4ae',
  },
};

const ICON_SIZE = 21;
const COLUMNS = 6;
let wasmReady: Promise<void> | null = null;

/**
 * Draws the sprite sheets an area's style uses: one badge per landmark category, light and dark, at 1× and 2×.
 * Rendered from SVG with resvg (WebAssembly), so no native module and no network.
 */
export async function writeSprites(areaDir: string): Promise<('light' | 'dark')[]> {
  wasmReady ??= initWasm(readFileSync(resolvePackageFile('@resvg/resvg-wasm/index_bg.wasm')));
  await wasmReady;
  const dir = join(areaDir, 'sprites');
  mkdirSync(dir, { recursive: true });
  const makiDir = join(packageDir('@mapbox/maki'), 'icons');
  const glyphs = Object.fromEntries(LANDMARK_CATEGORIES.map((c) => [c, readFileSync(join(makiDir, `${ICONS[c]}.svg`), 'utf8').match(/<path\b[^>]*\/>/gs)?.join('') ?? '']));
  const rows = Math.ceil(LANDMARK_CATEGORIES.length / COLUMNS);
  for (const theme of ['light', 'dark'] as const) {
    const badges = LANDMARK_CATEGORIES.map((category, i) => {
      const x = (i % COLUMNS) * ICON_SIZE;
      const y = Math.floor(i / COLUMNS) * ICON_SIZE;
      const ring = theme === 'dark' ? '#0b1015' : '#ffffff';
      return (
        `<g transform="translate(${x},${y})"><circle cx="10.5" cy="10.5" r="9.75" fill="${BADGES[theme][category]}" stroke="${ring}" stroke-width="1.5"/>` +
        `<g transform="translate(3,3)" fill="#ffffff">${glyphs[category]}</g></g>`
      );
    });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${COLUMNS * ICON_SIZE}" height="${rows * ICON_SIZE}">${badges.join('')}</svg>`;
    for (const ratio of [1, 2]) {
      const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: ratio } }).render().asPng();
      const index = Object.fromEntries(
        LANDMARK_CATEGORIES.map((category, i) => [
          category,
          { x: (i % COLUMNS) * ICON_SIZE * ratio, y: Math.floor(i / COLUMNS) * ICON_SIZE * ratio, width: ICON_SIZE * ratio, height: ICON_SIZE * ratio, pixelRatio: ratio },
        ]),
      );
      const suffix = ratio === 2 ? '@2x' : '';
      writeFileSync(join(dir, `${theme}${suffix}.png`), png);
      writeFileSync(join(dir, `${theme}${suffix}.json`), JSON.stringify(index));
    }
  }
  return ['light', 'dark'];
}
