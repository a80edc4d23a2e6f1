// `report --html`: the page lives in ./html/ (index.ts says what it shows).
export { renderHtml, type HtmlOptions } from './html/index.js';
