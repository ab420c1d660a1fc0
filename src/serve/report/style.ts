/** The report's inline stylesheet: readable on screen and in print, no external fonts. */
export const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header,main{max-width:1100px;margin:0 auto;padding:0 16px}
h1{margin:16px 0 4px}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}h4{margin:14px 0 4px}
nav a{color:#3b6ea8}
.muted{color:#666}
table{border-collapse:collapse}
table.grid{width:100%}
table.grid th,table.grid td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
table.kv th{text-align:left;padding-right:12px;vertical-align:top}
pre{white-space:pre-wrap;word-break:break-all;background:#f0f0f0;padding:6px;margin:4px 0}
code{background:#f0f0f0;padding:0 2px}
.esc{color:#b00;background:#fee;border:1px dotted #b00;font-family:monospace;font-size:90%}
mark{background:#ffe066}
details.alarm{border:1px solid #ddd;border-left-width:5px;background:#fff;margin:8px 0;padding:4px 10px}
details.alarm summary{cursor:pointer}
.p-critical{border-left-color:#8b0000}.p-high{border-left-color:#d9534f}.p-medium{border-left-color:#f0ad4e}.p-low{border-left-color:#5bc0de}
.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.badge.p-critical{background:#8b0000}.badge.p-high{background:#d9534f}.badge.p-medium{background:#c98a1e}.badge.p-low{background:#3a8fb0}
.disp{font-weight:600}
.conclusion{font-weight:600}
ul.evidence{font-size:12px;color:#444}
figure{margin:12px 0}figcaption{font-weight:600}
`;
