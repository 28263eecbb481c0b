'use strict';
// The trace types EconBrain's figures use (figures/*.py); scatter is part of the core.
// tests/unit/test_plotly_bundle.py checks this list against the figure modules.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/indicator'),
    require('plotly.js/lib/waterfall'),
]);

module.exports = Plotly;
