// The page's own style and script, inline (the page works from a ticket attachment or an
// email: nothing is fetched). The script lays out the timeline from data-t with the same
// formula as timeline.ts, zooms, and shows an event's line; it writes text, never markup.
import { TICKS, X0, X1 } from './timeline.js';

export const CSS = `
:root{--fg:#1b1b1b;--bg:#fff;--muted:#666;--line:#ccc;--panel:#f4f4f4;--hw:#c0392b;--sw:#b9770e;--un:#7d3c98;--hit:#fff3b0;--accent:#1f5fbf;
--c0:#1f77b4;--c1:#d62728;--c2:#2ca02c;--c3:#9467bd;--c4:#ff7f0e;--c5:#17becf}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#161616;--muted:#a0a0a0;--line:#444;--panel:#222;--hw:#ff6b5b;--sw:#f5b041;--un:#c39bd3;--hit:#4a4200;--accent:#7fb0ff;
--c0:#6fb3ff;--c1:#ff7b7b;--c2:#7bd67b;--c3:#c8a2ff;--c4:#ffb26b;--c5:#5fe0f0}}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;padding:1em 1.5em;max-width:1200px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.5em}h3{font-size:1.08em}h4{font-size:1em;margin:.8em 0 .3em}
a{color:var(--accent)}a:focus-visible,button:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
table{border-collapse:collapse}th,td{text-align:left;padding:.15em .8em .15em 0;vertical-align:top}
.incident{border-left:5px solid var(--line);padding-left:1em;margin:1.5em 0}.incident.hardware{border-color:var(--hw)}.incident.software{border-color:var(--sw)}.incident.unknown{border-color:var(--un)}
.cause{font-weight:700}.hardware .cause{color:var(--hw)}.software .cause{color:var(--sw)}.unknown .cause{color:var(--un)}
.flag{display:inline-block;background:var(--hw);color:var(--bg);border-radius:3px;padding:0 .4em;font-size:.85em;font-weight:600}
small,.src,.hint,.cut{color:var(--muted)}code,pre,.regs,.trace{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
pre{background:var(--panel);padding:.6em;overflow-x:auto;margin:.3em 0}
.ctx{display:none;border:1px solid var(--line);padding:.4em .8em;margin:.6em 0;background:var(--bg)}.ctx:target{display:block}
.ln{display:block;white-space:pre}.ln.hit{background:var(--hit);font-weight:600}
.zoom button{font:inherit;padding:.2em .7em;margin-right:.3em;border:1px solid var(--line);background:var(--panel);color:var(--fg);border-radius:3px;cursor:pointer}
.zoom button[aria-pressed=true]{border-color:var(--accent);font-weight:600}
svg{display:block;margin:.5em 0;overflow:visible}svg text{fill:var(--fg);font-size:11px;font-family:system-ui,sans-serif}svg .tick,svg .lane{fill:var(--muted)}svg .bandhead{font-weight:600}
.laneline,.axis{stroke:var(--line);stroke-width:1}.dens{fill:var(--line)}
.ev,.mce{cursor:pointer;stroke:var(--bg);stroke-width:1.5}.ev.out,.mce.out,.dens.out{display:none}
.kind-warning{fill:var(--c4)}.kind-oops,.kind-bug{fill:var(--c1)}.kind-panic{fill:var(--hw)}.kind-machine-check{fill:var(--c3)}.kind-lockup,.kind-hang,.kind-rcu-stall,.kind-oom,.kind-reset{fill:var(--c0)}
.ev.corrupted{stroke:var(--fg);stroke-dasharray:2 2}.mce{fill:var(--c5)}.mce.sev-fatal,.mce.sev-uncorrected,.mce.sev-action-required{fill:var(--hw)}
.ev:focus,.mce:focus,.ev.selected{stroke:var(--fg);stroke-width:3}
.detail{background:var(--panel);padding:.4em .8em;min-height:2.5em;font-family:ui-monospace,monospace;font-size:13px;white-space:pre-wrap}
.series path{fill:none;stroke-width:2}.series circle{stroke:var(--bg)}
${[0, 1, 2, 3, 4, 5].map((k) => `.c${k} path{stroke:var(--c${k})}.c${k} circle,.c${k} .swatch{fill:var(--c${k});background:var(--c${k})}`).join('')}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:2px}.legend{list-style:none;padding:0}
.fatal line{stroke:var(--hw);stroke-width:2;stroke-dasharray:5 3}.fatal text{fill:var(--hw);font-weight:600}
.bits td,.bits th{font-family:ui-monospace,monospace;font-size:13px;border-bottom:1px solid var(--line)}.bits tr.set th{color:var(--accent)}.bits caption{text-align:left;font-weight:600;padding:.3em 0}
.trace{padding-left:1em;list-style:none}pre.code{white-space:pre-wrap;word-break:break-all}.events td:first-child,.events td:nth-child(2){white-space:nowrap}.trace li.guilty{background:var(--hit);font-weight:700}.trace li.unreliable{color:var(--muted)}.trace li.stack{list-style:none;color:var(--muted)}.tag{font-size:.8em;text-transform:uppercase}
dl.regs{display:grid;grid-template-columns:repeat(auto-fill,minmax(14em,1fr));gap:0 1em}dl.regs div{display:flex;gap:.5em}dl.regs dt{font-weight:600;min-width:4em}dl.regs dd{margin:0}
mark{background:var(--hit);color:inherit}
.events td{font-family:ui-monospace,monospace;font-size:13px}
@media print{body{max-width:none;padding:0;font-size:11pt}.zoom,.detail,.hint{display:none}.ctx{display:block;break-inside:avoid}.incident{break-before:auto}a{color:inherit;text-decoration:none}
:root{--fg:#000;--bg:#fff;--panel:#f4f4f4}}
`;

export const SCRIPT = `(function(){
var X0=${X0},X1=${X1},TICKS=${JSON.stringify(TICKS)};
function num(el,k){return parseFloat(el.getAttribute(k))}
function clock(band,t){var ct=band.getAttribute('data-clock-t');if(ct===null)return '';var d=new Date(num(band,'data-clock-wall')+(t-parseFloat(ct))*1000);return isNaN(d.getTime())?'':d.toISOString().slice(11,19)}
function layout(band,t0,t1){
  if(!(t1>t0))t1=t0+1;
  var X=function(t){return X0+(t-t0)/(t1-t0)*(X1-X0)};
  band.querySelectorAll('[data-t]').forEach(function(el){
    var t=num(el,'data-t');
    if(el.tagName.toLowerCase()==='rect'){var t2=num(el,'data-t2');var out=t2<t0||t>t1;el.classList.toggle('out',out);
      if(!out){var a=Math.max(X(t),X0);el.setAttribute('x',a.toFixed(1));el.setAttribute('width',Math.max(0.5,(Math.min(X(t2),X1)-a)*0.9).toFixed(1))}return}
    var out2=t<t0-1e-9||t>t1+1e-9;el.classList.toggle('out',out2);
    if(!out2)el.setAttribute('transform','translate('+X(t).toFixed(1)+','+el.getAttribute('data-y')+')');
  });
  band.querySelectorAll('text[data-tick]').forEach(function(tx){
    var t=t0+num(tx,'data-tick')*(t1-t0);tx.firstChild.nodeValue=t.toFixed(t1-t0<10?2:1)+' s';
    var sp=tx.querySelector('tspan');if(sp)sp.textContent=clock(band,t);
  });
}
var bands=document.querySelectorAll('svg[data-role="timeline"] .band');
document.querySelectorAll('[data-zoom]').forEach(function(b){
  b.addEventListener('click',function(){
    var n=parseFloat(b.getAttribute('data-zoom'));
    bands.forEach(function(band){var s=num(band,'data-start'),e=num(band,'data-end'),c=num(band,'data-crash');
      if(n>0)layout(band,Math.max(s,c-n),Math.min(e,c+n/10)+1e-6);else layout(band,s,e)});
    document.querySelectorAll('[data-zoom]').forEach(function(o){o.setAttribute('aria-pressed',String(o===b))});
  });
});
var detail=document.querySelector('[data-role="event-detail"]');
function show(el){
  if(!detail)return;
  document.querySelectorAll('.selected').forEach(function(o){o.classList.remove('selected')});el.classList.add('selected');
  detail.textContent='';
  var lines=[el.getAttribute('aria-label')||'',el.getAttribute('data-line')||'','from '+(el.getAttribute('data-src')||'')];
  lines.forEach(function(s){var p=document.createElement('div');p.textContent=s;detail.appendChild(p)});
}
document.querySelectorAll('svg[data-role="timeline"] [tabindex]').forEach(function(el){
  el.addEventListener('click',function(){show(el)});
  el.addEventListener('keydown',function(ev){if(ev.key==='Enter'||ev.key===' '){ev.preventDefault();show(el)}});
});
// :target shows a context window (CSS); moving focus there lets a keyboard reader go on from it.
function open(){
  var id=decodeURIComponent(location.hash.slice(1));var t=id&&document.getElementById(id);
  if(t&&t.classList.contains('ctx'))t.focus({preventScroll:true});
}
window.addEventListener('hashchange',open);open();
})();`;
