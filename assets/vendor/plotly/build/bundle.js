// Builds ../plotly-econbrain.min.js with plotly.js's own esbuild settings (its esbuild-config.js),
// minified, from entry.js: `npm ci && npm run build`.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const version = require('plotly.js/package.json').version;

const outfile = path.join(__dirname, '..', 'plotly-econbrain.min.js');
// plotly.js's config names a CDN as the default home of the geo traces' topojson. The bundle has no
// geo trace, so nothing reads it; the default becomes a path on the app's own server (which it
// never requests) so that no CDN address ships with the app.
const CDN = [
    [/(topojsonURL:\{valType:"string",noBlank:!0,dflt:)"[^"]*"/, '$1"/assets/vendor/plotly/no-topojson/"'],
    [/"By default, the topojson files are fetched from [^"]*"/, '"This bundle has no geo traces."'],
];

esbuild.build({
    entryPoints: [path.join(__dirname, 'entry.js')],
    outfile,
    write: false,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    banner: { js: `/* plotly.js v${version} (MIT, see LICENSE), partial bundle: scatter, bar, heatmap, indicator, waterfall */` },
    plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'info',
}).then(result => {
    let code = result.outputFiles[0].text;
    for (const [from, to] of CDN) {
        if (!from.test(code)) throw new Error(`not in the bundle any more: ${from}`);
        code = code.replace(from, to);
    }
    if (/cdn\./.test(code)) throw new Error('a CDN address is left in the bundle');
    fs.writeFileSync(outfile, code);
}).catch(error => { console.error(error); process.exit(1); });
