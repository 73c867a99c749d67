import { readFile } from 'node:fs/promises';
import { Resvg, initWasm } from '@resvg/resvg-wasm';

/** The font the chart's SVG names; shipped as an npm package so no system fonts are needed. */
const FONT_FILES = ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'];

let ready: Promise<Uint8Array[]> | undefined;

/** Loads the WebAssembly renderer and the fonts once per process (initWasm may only run once). */
function load(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    return Promise.all(FONT_FILES.map(async (file) => new Uint8Array(await readFile(require.resolve(file)))));
  })();
  return ready;
}

/** SVG → PNG with resvg compiled to WebAssembly: no native binding, no system packages. */
export async function renderPng(svg: string): Promise<Buffer> {
  const fontBuffers = await load();
  const resvg = new Resvg(svg, { font: { fontBuffers, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }, background: '#ffffff' });
  try {
    const image = resvg.render();
    const png = Buffer.from(image.asPng());
    image.free();
    return png;
  } finally {
    resvg.free();
  }
}
