import type { Page } from '@playwright/test';

// The check runs in the page; e2e files are compiled without the DOM library, so the few members it uses are
// described here.
interface Box {
  tagName: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  getBoundingClientRect(): { right: number; bottom: number; width: number; height: number };
  closest(selector: string): unknown;
}
interface PageGlobals {
  document: { scrollingElement: Box; querySelectorAll(selector: string): Iterable<Box> };
  getComputedStyle(el: Box): { visibility: string; display: string };
}

/**
 * What "readable at 125% scaling" means in a test: the page does not scroll sideways and no control or label
 * is cut off. Returns one line per problem (empty when the page is fine).
 *
 * Checked: the document's horizontal scroll; every visible button, label, select, summary, heading and nav
 * entry whose content is wider or taller than its box (text cut by a fixed size or overflow: hidden); and
 * anything whose right edge lies beyond the window (content pushed out of a grid or flex column).
 */
export function clippingProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const out: string[] = [];
    const root = document.scrollingElement;
    if (root.scrollWidth > root.clientWidth)
      out.push(`the page scrolls sideways: ${root.scrollWidth}px of content in ${root.clientWidth}px`);
    const name = (el: Box) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
    const visible = (el: Box) => {
      const st = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return (
        st.visibility !== 'hidden' && st.display !== 'none' && r.width > 1 && r.height > 1 && !el.closest('.visually-hidden')
      );
    };
    for (const el of document.querySelectorAll('button, label, select, summary, h1, h2, h3, .nav li, .badge')) {
      // Inline boxes have no scroll size of their own; their block parent is checked instead.
      if (!visible(el) || getComputedStyle(el).display === 'inline') continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        out.push(
          `${name(el)} is cut off: ${el.scrollWidth}x${el.scrollHeight} content in a ${el.clientWidth}x${el.clientHeight} box`,
        );
    }
    for (const el of document.querySelectorAll('body *')) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1)
        out.push(`${name(el)} sticks out of the window: right edge ${Math.round(r.right)}px > ${root.clientWidth}px`);
    }
    return out;
  });
}

/**
 * A window of a fixed size (a popup: not resizable) at 125% scaling, three ways: 125% zoom (the window lays out
 * in 80% of its pixels), a 125% text size in the full-size window, and both at once (the worst case). Returns the
 * problems found in each; the page is left at the worst case, for a screenshot. `ready` waits for the content.
 */
export async function windowProblemsAt125(
  page: Page,
  size: { width: number; height: number },
  ready: () => Promise<void>,
): Promise<Record<'zoom' | 'textSize' | 'zoomAndTextSize', string[]>> {
  const zoomed = { width: Math.round(size.width / 1.25), height: Math.round(size.height / 1.25) };
  const at = async (viewport: { width: number; height: number }, fontSize: string) => {
    await page.setViewportSize(viewport);
    await page.evaluate(`document.documentElement.style.fontSize = '${fontSize}'`);
    await ready();
    return [...(await clippingProblems(page)), ...(await controlsBelowTheWindow(page))];
  };
  return {
    zoom: await at(zoomed, ''),
    textSize: await at(size, '125%'),
    zoomAndTextSize: await at(zoomed, '125%'),
  };
}

/**
 * A popup cannot be resized, so a button below its bottom edge is one the user may never find (the popup is
 * always on top and small; nothing says to scroll). Every visible button must fit in the window as it opens.
 */
function controlsBelowTheWindow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document, getComputedStyle, innerHeight } = globalThis as unknown as PageGlobals & { innerHeight: number };
    const out: string[] = [];
    for (const el of document.querySelectorAll('button')) {
      const r = el.getBoundingClientRect();
      if (getComputedStyle(el).display === 'none' || r.width <= 1 || el.closest('.visually-hidden')) continue;
      if (r.bottom > innerHeight + 1)
        out.push(
          `button "${(el.textContent ?? '').trim()}" is below the window: bottom edge ${Math.round(r.bottom)}px > ${innerHeight}px`,
        );
    }
    return out;
  });
}
