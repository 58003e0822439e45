package io.officehours.web;

import static io.officehours.web.Browsers.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Quality checks of whatever a page shows right now, computed by the browser itself: no sideways
 * scrolling, a name for every control, visible keyboard focus, and WCAG AA contrast. Run them in
 * each state a test brings a page to, since each state shows other elements.
 */
final class PageChecks {

  /** WCAG 2 AA for normal text (1.4.3). */
  static final double TEXT_CONTRAST = 4.5;
  /** WCAG 2 AA for user-interface components such as the focus ring (1.4.11). */
  static final double NON_TEXT_CONTRAST = 3.0;

  private static final String CONTROLS =
      "button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex='-1'])";

  /** WCAG relative luminance and contrast, over the colours the page really computed. */
  private static final String COLOURS = """
      const parse = (c) => {
        const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
        if (!m) return null;
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
      };
      const blend = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
        b: top.b * top.a + under.b * (1 - top.a), a: 1 });
      const luminance = ({ r, g, b }) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const ratio = (x, y) => { const [hi, lo] = [luminance(x), luminance(y)].sort((a, b) => b - a); return (hi + 0.05) / (lo + 0.05); };
      const backgroundOf = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
        }
        let bg = { r: 255, g: 255, b: 255, a: 1 }; // the canvas
        for (const layer of layers.reverse()) bg = blend(layer, bg);
        return bg;
      };
      const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility === 'visible';
      const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '');
      """;

  private PageChecks() {}

  /** The page fits its window's width: nothing to scroll sideways. */
  static void assertNoHorizontalScroll(WebDriver d, String where) {
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) script(d,
        "const e = document.documentElement; return {scroll: e.scrollWidth, client: e.clientWidth, wide: "
            + "[...document.querySelectorAll('body *')].filter(x => x.getBoundingClientRect().right > e.clientWidth + 0.5)"
            + ".slice(0, 5).map(x => x.tagName + '.' + x.className + '#' + x.id)};");
    long scroll = ((Number) size.get("scroll")).longValue();
    long client = ((Number) size.get("client")).longValue();
    assertTrue(scroll <= client, where + ": scrollWidth " + scroll + " > clientWidth " + client + "; wider: " + size.get("wide"));
  }

  /** The element is shown, inside the window's width, and big enough to hit with a finger. */
  static void assertReachable(WebDriver d, WebElement element, String what) {
    assertTrue(element.isDisplayed(), what + " is shown");
    long client = ((Number) script(d, "return document.documentElement.clientWidth;")).longValue();
    var r = element.getRect();
    assertTrue(r.getX() >= 0 && r.getX() + r.getWidth() <= client, what + " fits the width " + client + ": " + r);
    assertTrue(r.getHeight() >= 24 && r.getWidth() >= 24, what + " is at least 24 px each way: " + r);
  }

  /** Every shown control has an accessible name, as Chromium computes it (label, aria-label, content). */
  static void assertControlsNamed(WebDriver d, String where) {
    List<String> unnamed = d.findElements(By.cssSelector(CONTROLS)).stream()
        .filter(WebElement::isDisplayed)
        .filter(e -> e.getAccessibleName() == null || e.getAccessibleName().isBlank())
        .map(e -> e.getTagName() + "#" + e.getDomAttribute("id") + "." + e.getDomAttribute("class"))
        .collect(Collectors.toList());
    assertEquals(List.of(), unnamed, where + ": controls without an accessible name");
  }

  /** The style sheet has a :focus-visible rule, and the focused element shows a ring that stands out. */
  static void assertFocusVisible(WebDriver d, String where) {
    assertEquals(Boolean.TRUE, script(d, "return [...document.styleSheets].some(s => [...s.cssRules]"
        + ".some(r => (r.selectorText || '').includes(':focus-visible')));"), "a :focus-visible rule exists");
    String problem = (String) script(d, COLOURS + """
        const el = document.activeElement;
        if (!el || el === document.body) return 'nothing has the focus';
        if (!el.matches(':focus-visible')) return describe(el) + ' is focused but not :focus-visible';
        const st = getComputedStyle(el);
        if (st.outlineStyle === 'none' || parseFloat(st.outlineWidth) < 2) return describe(el) + ' has no focus ring: ' + st.outline;
        const r = ratio(blend(parse(st.outlineColor), backgroundOf(el.parentElement)), backgroundOf(el.parentElement));
        return r >= arguments[0] ? '' : describe(el) + ' focus ring contrast ' + r.toFixed(2);
        """, NON_TEXT_CONTRAST);
    assertEquals("", problem, where + ": visible focus");
  }

  /** Every shown text, and every shown placeholder, reaches {@link #TEXT_CONTRAST} against what is under it. */
  static void assertTextContrast(WebDriver d, String where) {
    @SuppressWarnings("unchecked")
    List<String> failures = (List<String>) script(d, COLOURS + """
        const min = arguments[0];
        const failures = [];
        const check = (el, colour, text) => {
          const bg = backgroundOf(el);
          const fg = parse(colour);
          if (!fg) { failures.push(describe(el) + ' unreadable colour ' + colour); return; }
          const r = ratio(blend(fg, bg), bg);
          if (r < min) failures.push(`${describe(el)} "${text.slice(0, 30)}": ${colour} on rgb(${bg.r}, ${bg.g}, ${bg.b}) = ${r.toFixed(2)}`);
        };
        for (const el of document.querySelectorAll('body *')) {
          const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
          if (text && shown(el)) check(el, getComputedStyle(el).color, text);
        }
        for (const input of document.querySelectorAll('input[placeholder]')) {
          if (shown(input) && !input.value) check(input, getComputedStyle(input, '::placeholder').color, input.placeholder);
        }
        return failures;
        """, TEXT_CONTRAST);
    assertEquals(List.of(), failures, where + ": text below " + TEXT_CONTRAST + ":1");
  }

  /** All of the above but focus, for one state of a page. */
  static void assertPageQuality(WebDriver d, String where) {
    assertNoHorizontalScroll(d, where);
    assertControlsNamed(d, where);
    assertTextContrast(d, where);
  }

  /** The id (or tag) of the focused element, for keyboard steps. */
  static String focused(WebDriver d) {
    Object id = script(d, "const e = document.activeElement; return e ? (e.id || e.tagName.toLowerCase() + '.' + e.className) : null;");
    assertNotEquals(null, id, "something has the focus");
    return String.valueOf(id);
  }
}
