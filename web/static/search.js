/* blogsearch: results as you type (progressive enhancement over /api/search).
 * Without this file the page is a plain GET form and works the same.
 * Typing (debounced) fetches the JSON API with the form's own parameters and draws the
 * results in <main>; the address bar follows the query (one history entry per search, then
 * replaced while typing), so Back, Reload and shared links give the same page from the server.
 * Searches drawn while typing are not logged (X-Blogsearch-Live); the one the reader stops on
 * (LOG_AFTER_MS without typing, or a click in the results, or leaving) is asked again to be.
 * Keyboard: ArrowDown in the box goes to the first result, ArrowUp/ArrowDown move between
 * results, Escape goes back to the box; "/" anywhere else focuses the box.
 * Everything from the API is inserted as text; only <mark> elements are made, by hand. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-search-url]");
  var main = document.getElementById("main");
  if (!form || !main || !window.fetch || !window.URL || !window.history.pushState) return;
  var input = form.querySelector("input[name=q]");
  if (!input) return;
  var T;
  try {
    T = JSON.parse(form.getAttribute("data-texts"));
  } catch (e) {
    return;
  }

  var DELAY_MS = 250;
  var LOG_AFTER_MS = 2000;
  var LIVE_HEADER = "X-Blogsearch-Live";
  var MIN_CHARS = 2;
  var FACET_SHOWN = 8;
  var timer = null;
  var controller = null;
  var pushed = false; // this run of typing already has its own history entry
  var lastUrl = withoutFragment(window.location.href);
  var unlogged = null; // the API address of the search on screen, not yet in the search log
  var logTimer = null;

  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.appendChild(status);
  input.setAttribute("aria-controls", "main");

  // -- small helpers ---------------------------------------------------------------------
  function withoutFragment(url) {
    return url.split("#")[0];
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#34;": "\"",
                   "&#x27;": "'", "&#39;": "'" };

  function unescapeText(text) {
    return text.replace(/&(?:amp|lt|gt|quot|#34|#x27|#39);/g, function (e) { return ENTITIES[e]; });
  }

  // Escaped text whose only tags are <mark>…</mark> (the API's title_html, snippet) as nodes.
  function marked(html) {
    var fragment = document.createDocumentFragment();
    var inMark = false;
    String(html || "").split(/(<\/?mark>)/).forEach(function (piece) {
      if (piece === "<mark>") { inMark = true; return; }
      if (piece === "</mark>") { inMark = false; return; }
      if (!piece) return;
      var text = document.createTextNode(unescapeText(piece));
      fragment.appendChild(inMark ? el("mark", {}, [text]) : text);
    });
    return fragment;
  }

  // A template with {name} slots, each filled with a node (a link, a <strong>…).
  function sentence(template, nodes) {
    var out = document.createDocumentFragment();
    String(template).split(/(\{\w+\})/).forEach(function (piece) {
      var name = /^\{(\w+)\}$/.exec(piece);
      if (name && nodes[name[1]]) out.appendChild(nodes[name[1]]);
      else if (piece) out.appendChild(document.createTextNode(piece));
    });
    return out;
  }

  function safeHref(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function number(n) {
    try {
      return new Intl.NumberFormat(T.lang).format(n);
    } catch (e) {
      return String(n);
    }
  }

  function longDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!parts) return "";
    var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    try {
      return new Intl.DateTimeFormat(T.lang, { dateStyle: "long", timeZone: "UTC" }).format(day);
    } catch (e) {
      return parts[0];
    }
  }

  function languageName(code) {
    try {
      return new Intl.DisplayNames([T.lang], { type: "language" }).of(code) || code;
    } catch (e) {
      return code;
    }
  }

  function countText(total) {
    return fill(total === 1 ? T.result_one : T.result_other, { count: number(total) });
  }

  // -- addresses ---------------------------------------------------------------------------
  function formParams() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value !== "" && !field.disabled) params.set(field.name, field.value);
    });
    return params;
  }

  // The search page's address for params, in the server's order of parameters.
  function address(params) {
    var ordered = new URLSearchParams();
    T.param_order.forEach(function (name) {
      params.getAll(name).forEach(function (value) { ordered.append(name, value); });
    });
    params.forEach(function (value, name) {
      if (T.param_order.indexOf(name) === -1) ordered.append(name, value);
    });
    return form.getAttribute("action") + "?" + ordered.toString();
  }

  function pageLink(params, changes) {
    var next = new URLSearchParams(params);
    Object.keys(changes).forEach(function (name) {
      if (changes[name] === null) next.delete(name);
      else next.set(name, changes[name]);
    });
    if (!("page" in changes)) next.delete("page");
    return address(next);
  }

  function change(name, value) {
    var changes = {};
    changes[name] = value;
    return changes;
  }

  // The search in one language (or all): a language typed in the query gives way to it.
  function languageLink(params, value) {
    var q = (params.get("q") || "").replace(/(^|\s)(idioma|lang|language):("[^"]*"|\S+)/gi, " ");
    var changes = change(T.language_key, value);
    changes.q = q.replace(/\s+/g, " ").trim() || null;
    return pageLink(params, changes);
  }

  function withFilter(params, key, value) {
    var next = new URLSearchParams(params);
    next.delete("page");
    next.append(key, value);
    return address(next);
  }

  // -- active filters (parameters, or typed in the query as tag:docker) ----------------------
  function foldKey(value) {
    return String(value).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim()
      .replace(/,/g, " ");
  }

  function languageValue(value) {
    var low = String(value).trim().toLowerCase();
    return T.all_words.indexOf(low) !== -1 ? T.all_languages[0] : low.split(/[-_]/)[0];
  }

  function sameValue(key, a, b) {
    if (key === "date_from" || key === "date_to") return a === b;
    if (key === T.language_key) return languageValue(a) === languageValue(b);
    return foldKey(a) === foldKey(b);
  }

  function typedKeys(negated, name) {
    var target = T.aliases[name.toLowerCase()];
    if (!target) return [];
    if (negated) return ["not_" + target];
    return target === "date" ? ["date_from", "date_to"] : [target];
  }

  // The parameters without filter key=value: as a parameter, or as words typed in the query.
  function withoutFilterParams(params, key, value) {
    var next = new URLSearchParams(params);
    var values = next.getAll(key);
    var kept = values.filter(function (v) { return !sameValue(key, v, value); });
    if (kept.length < values.length) {
      next.delete(key);
      kept.forEach(function (v) { next.append(key, v); });
    } else {
      var q = (next.get("q") || "").replace(/(^|\s)(-?)([^\s:"]+):("[^"]*"|\S+)/g,
        function (all, space, negated, name, raw) {
          if (typedKeys(negated, name).indexOf(key) === -1) return all;
          raw = raw.replace(/^"|"$/g, "").trim();
          var same = key === "date_from" || key === "date_to" ? raw.split("..").indexOf(value) !== -1
            : sameValue(key, raw, value);
          return same ? space : all;
        });
      next.set("q", q.replace(/\s+/g, " ").trim());
    }
    next.delete("page");
    return next;
  }

  function withoutFilter(params, key, value) {
    return address(withoutFilterParams(params, key, value));
  }

  // The same words without any filter (none: nothing to widen).
  function broadened(data, params) {
    var broad = new URLSearchParams(params);
    Object.keys(data.filters || {}).forEach(function (key) {
      (data.filters[key] || []).forEach(function (value) { broad = withoutFilterParams(broad, key, value); });
    });
    broad.delete("page");
    return broad.toString() !== params.toString() && (broad.get("q") || "").trim() ? broad : null;
  }

  function chips(data, params) {
    var labels = {};
    Object.keys(data.facets || {}).forEach(function (key) {
      (data.facets[key] || []).forEach(function (item) { labels[key + "\u0000" + item.value] = item.label; });
    });
    var items = [];
    T.filter_labels.forEach(function (pair) {
      var key = pair[0];
      ((data.filters || {})[key] || []).forEach(function (value) {
        var label = key === T.language_key
          ? (languageValue(value) === T.all_languages[0] ? T.all_languages[1] : languageName(value))
          : labels[key.replace(/^not_/, "") + "\u0000" + value] || value;
        items.push(el("li", {}, [el("a", { href: withoutFilter(params, key, value), rel: "nofollow",
                                           title: T.remove_filter }, [
          el("span", { "class": "chip-name" }, [pair[1] + ":"]), " " + label + " ",
          el("span", { "aria-hidden": "true" }, ["×"]),
          el("span", { "class": "visually-hidden" }, [T.remove])
        ])]));
      });
    });
    return items.length ? el("ul", { "class": "chips", "aria-label": T.active_filters }, items) : null;
  }

  // -- drawing -----------------------------------------------------------------------------
  function hitItem(hit, params) {
    var href = safeHref(hit.url);
    var foreign = hit.lang && hit.lang !== T.lang ? hit.lang : null;
    var title = el("h2", { lang: foreign }, [href ? el("a", { href: href }, [marked(hit.title_html)])
                                                  : marked(hit.title_html)]);
    var meta = [];
    if (hit.date) meta.push(el("time", { datetime: hit.date }, [longDate(hit.date)]));
    if (hit.author) meta.push(" ", el("span", { "class": "author" }, [hit.author]));
    var extra = [];
    if (hit.kind === "page") extra.push(el("span", { "class": "kind" }, [T.page]));
    if (foreign) extra.push(el("span", { "class": "in-language" },
                               [fill(T.in_language, { language: languageName(foreign) })]));
    var twins = (hit.translations || []).filter(function (twin) { return safeHref(twin.url); });
    if (twins.length) {
      var also = el("span", { "class": "translations" }, [T.also_in]);
      twins.forEach(function (twin, i) {
        also.appendChild(document.createTextNode(" "));
        also.appendChild(el("a", { href: safeHref(twin.url), hreflang: twin.lang, lang: twin.lang },
                            [languageName(twin.lang)]));
        if (i < twins.length - 1) also.appendChild(document.createTextNode(","));
      });
      extra.push(also);
    }
    extra.forEach(function (node) {
      if (meta.length) meta.push(" · ");
      meta.push(node);
    });
    var children = [];
    var image = hit.image && safeHref(hit.image);
    if (image) children.push(el("img", { "class": "thumb", src: image, alt: "", loading: "lazy",
                                         decoding: "async" }));
    children.push(title, el("p", { "class": "meta" }, meta));
    if (hit.snippet) children.push(el("p", { "class": "snippet", lang: foreign }, [marked(hit.snippet)]));
    var sections = (hit.sections || []).filter(function (s) { return safeHref(s.url); });
    if (sections.length) {
      children.push(el("ul", { "class": "sections", "aria-label": T.sections, lang: foreign },
        sections.map(function (s) {
          return el("li", {}, [el("a", { href: safeHref(s.url) }, [marked(s.title_html)])]);
        })));
    }
    if (hit.missing && hit.missing.length) {
      children.push(el("p", { "class": "missing" }, [fill(T.partial, {
        words: hit.missing.map(function (word) { return "«" + word + "»"; }).join(", ") })]));
    }
    if (hit.tags && hit.tags.length) {
      children.push(el("ul", { "class": "tags", "aria-label": T.tags }, hit.tags.map(function (tag) {
        return el("li", {}, [el("a", { href: withFilter(params, "tag", tag),
                                       rel: "nofollow" }, [tag])]);
      })));
    }
    return el("li", { "class": "hit" }, children);
  }

  function notices(data, params) {
    var out = [];
    var fuzzy = null;
    (data.messages || []).forEach(function (message) {
      if (message.code === "fuzzy") fuzzy = message;
      else out.push(el("p", { "class": "notice" }, [message.text || ""]));
    });
    if (fuzzy && data.suggestion && fuzzy.params && fuzzy.params.as_typed) {
      out.unshift(el("p", { "class": "correction", role: "note" }, [sentence(T.showing, {
        showing: el("a", { href: pageLink(params, { q: data.suggestion.query }), rel: "nofollow" },
                    [marked(data.suggestion.html)]),
        typed: el("a", { href: pageLink(params, { q: fuzzy.params.as_typed }), rel: "nofollow" },
                  [fuzzy.params.typed || ""])
      })]));
    } else if (fuzzy) {
      out.unshift(el("p", { "class": "correction", role: "note" }, [fuzzy.text || ""]));
    } else if (data.suggestion) {
      out.push(el("p", { "class": "didyoumean" }, [sentence(T.did_you_mean, {
        suggestion: el("a", { href: pageLink(params, { q: data.suggestion.query }), rel: "nofollow" },
                       [marked(data.suggestion.html)])
      })]));
    }
    return out;
  }

  function facetsAside(data, params) {
    var sections = T.facets.map(function (pair) {
      var key = pair[0];
      var items = (data.facets && data.facets[key]) || [];
      if (!items.length) return null;
      var language = key === T.language_facet;
      var chosen = language ? [data.language] : ((data.filters || {})[key] || []);
      var links = items.map(function (item) {
        var on = chosen.some(function (value) { return sameValue(key, value, item.value); });
        var label = !language ? (item.label || item.value)
          : item.value === T.all_languages[0] ? T.all_languages[1] : languageName(item.value);
        return el("li", {}, [el("a", {
          href: language ? languageLink(params, item.value)
            : on ? withoutFilter(params, key, item.value) : withFilter(params, key, item.value),
          rel: "nofollow", "class": on ? "on" : null, "aria-current": on ? "true" : null
        }, [el("span", { "class": "label" }, [label]), " ",
            el("span", { "class": "n" }, [number(item.count)])])]);
      });
      var list = el("ul", {}, links.slice(0, FACET_SHOWN));
      var section = el("section", { "class": "facet" }, [el("h2", {}, [pair[1]]), list]);
      if (links.length > FACET_SHOWN) {
        section.appendChild(el("details", {}, [el("summary", {}, [fill(T.more, { num: links.length - FACET_SHOWN })]),
                                                el("ul", {}, links.slice(FACET_SHOWN))]));
      }
      return section;
    }).filter(Boolean);
    return sections.length ? el("aside", { "class": "facets", id: "filters",
                                           "aria-label": T.filter_results }, sections) : null;
  }

  function pagination(data, params) {
    if (data.pages < 2) return null;
    var shown = [];
    for (var n = 1; n <= data.pages; n++) {
      if (n === 1 || n === data.pages || Math.abs(n - data.page) <= 2) shown.push(n);
    }
    var items = [];
    shown.forEach(function (n, i) {
      if (i && n - shown[i - 1] > 1) items.push(el("li", { "class": "gap" }, ["…"]));
      items.push(el("li", {}, [n === data.page ? el("span", { "aria-current": "page" }, [String(n)])
        : el("a", { href: pageLink(params, { page: String(n) }), rel: "nofollow",
                    "aria-label": fill(T.page_number, { num: n }) }, [String(n)])]));
    });
    var previous = data.page > 1
      ? el("a", { rel: "prev nofollow", href: pageLink(params, { page: String(data.page - 1) }) },
           ["← " + T.previous]) : null;
    var next = data.page < data.pages
      ? el("a", { rel: "next nofollow", href: pageLink(params, { page: String(data.page + 1) }) },
           [T.next + " →"]) : null;
    return el("nav", { "class": "pages", "aria-label": T.pages }, [previous, el("ul", {}, items), next]);
  }

  function sortNav(params) {
    var current = params.get("sort") || "relevance";
    var links = T.sorts.map(function (pair) {
      return pair[0] === current ? el("strong", { "aria-current": "true" }, [pair[1]])
        : el("a", { href: pageLink(params, { sort: pair[0] === "relevance" ? null : pair[0] }),
                    rel: "nofollow" }, [pair[1]]);
    });
    return el("nav", { "class": "sort", "aria-label": T.sort_label },
              [el("span", {}, [T.sort_by])].concat(links));
  }

  function noResults(data, params, filtered) {
    var tips = [];
    if (data.suggestion) tips.push(T.tip_suggested);
    tips.push(T.tip_spelling);
    if (filtered) tips.push(el("span", { "class": "widen-here" }, [T.tip_remove_filter]));
    var others = ((data.facets || {})[T.language_facet] || []).filter(function (item) {
      return item.value !== T.all_languages[0];
    });
    if (others.length) {
      var links = document.createDocumentFragment();
      others.forEach(function (item, i) {
        if (i) links.appendChild(document.createTextNode(", "));
        links.appendChild(el("a", { href: languageLink(params, item.value), rel: "nofollow" },
                             [languageName(item.value) + " (" + number(item.count) + ")"]));
      });
      tips.push(el("span", {}, [sentence(T.tip_other_languages, { languages: links })]));
    }
    tips.push(T.tip_prefix);
    return el("section", { "class": "noresults" }, [
      el("h1", {}, [fill(T.none, { q: data.query.slice(0, 200) })]),
      el("ul", { "class": "tips" }, tips.map(function (tip) { return el("li", {}, [tip]); }))
    ]);
  }

  function draw(data, params) {
    var facets = facetsAside(data, params);
    var summary = el("div", { "class": "summary" }, [el("p", { "class": "count" }, [
      el("strong", {}, [countText(data.total)]), " ",
      el("span", { "class": "took" }, [fill(T.took, { ms: number(data.took_ms) })]),
      facets ? el("a", { "class": "to-filters", href: "#filters" }, [T.filters + " ↓"]) : null
    ])]);
    if (data.total > 1) summary.appendChild(sortNav(params));
    var filtered = chips(data, params);
    var nodes = [summary].concat(notices(data, params), [filtered]);
    if (data.total) {
      var list = el("ol", { "class": "hits", start: String((data.page - 1) * data.per_page + 1) },
                    data.results.map(function (hit) { return hitItem(hit, params); }));
      nodes.push(el("div", { "class": "layout" }, [list, facets]));
      nodes.push(pagination(data, params));
    } else {
      nodes.push(noResults(data, params, filtered));
    }
    main.textContent = "";
    nodes.forEach(function (node) { if (node) main.appendChild(node); });
    document.title = data.query.slice(0, 80) + " · " + (form.getAttribute("data-site-name") || "");
    status.textContent = fill(T.updated, { count: countText(data.total) });
  }

  // -- fetching ------------------------------------------------------------------------------
  function logSearch() {
    clearTimeout(logTimer);
    if (!unlogged) return;
    var address = unlogged;
    unlogged = null;
    fetch(address, { keepalive: true, headers: { Accept: "application/json" } })
      .catch(function () { /* offline: one search fewer in the log */ });
  }

  // A search with filters and no results: say how many the words find without them.
  function widen(data, params) {
    var broad = !data.total && broadened(data, params);
    var spot = main.querySelector(".widen-here");
    if (!broad || !spot) return null;
    var api = new URL(form.getAttribute("data-search-url"), window.location.href);
    var asked = new URLSearchParams(broad);
    asked.set("per_page", "1");
    api.search = asked.toString();
    var headers = { Accept: "application/json" };
    headers[LIVE_HEADER] = "1";
    return fetch(api.href, { headers: headers, signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) {
        if (!found || !found.total) return;
        var link = el("a", { href: address(broad) },
                      [countText(found.total)]);
        spot.parentNode.className = "widen";
        spot.parentNode.replaceChild(sentence(T.tip_widen, { results: link }), spot);
      });
  }

  function search(params, record) {
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var api = new URL(form.getAttribute("data-search-url"), window.location.href);
    api.search = params.toString();
    var pageUrl = pageLink(params, {});
    main.setAttribute("aria-busy", "true");
    var headers = { Accept: "application/json" };
    headers[LIVE_HEADER] = "1";
    return fetch(api.href, {
      headers: headers,
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || (record && input.value !== params.get("q"))) return null;
        draw(data, params);
        if (record) {
          var logged = new URL(api.href);
          logged.searchParams.set("per_page", "1"); // the log keeps the query and its total
          unlogged = logged.href;
          clearTimeout(logTimer);
          logTimer = setTimeout(logSearch, LOG_AFTER_MS);
          var absolute = new URL(pageUrl, window.location.href).href;
          if (absolute !== window.location.href) {
            window.history[pushed ? "replaceState" : "pushState"]({ live: true }, "", absolute);
            pushed = true;
          }
        }
        lastUrl = withoutFragment(window.location.href);
        return widen(data, params);
      })
      .then(function () { main.removeAttribute("aria-busy"); })
      .catch(function (error) {
        // aborted: the newer search is busy now; offline: the page stays as it was
        if (!error || error.name !== "AbortError") main.removeAttribute("aria-busy");
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    clearTimeout(logTimer); // still typing: what is on screen was not what the reader wanted
    timer = setTimeout(function () {
      if (input.value.trim().length < MIN_CHARS) return;
      search(formParams(), true);
    }, DELAY_MS);
  });

  form.addEventListener("submit", function () {
    clearTimeout(timer);
    clearTimeout(logTimer);
    unlogged = null; // the page it loads is logged by the server
    if (controller) controller.abort();
  });

  main.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("a")) logSearch();
  });
  window.addEventListener("pagehide", logSearch);

  window.addEventListener("popstate", function () {
    if (withoutFragment(window.location.href) === lastUrl) return; // only the #fragment moved
    pushed = false;
    var params = new URLSearchParams(window.location.search);
    if (!params.get("q")) {
      window.location.reload(); // the empty page, or filters alone: as the server draws them
      return;
    }
    input.value = params.get("q");
    search(params, false);
  });

  // -- keyboard ------------------------------------------------------------------------------
  function resultLinks() {
    return Array.prototype.slice.call(main.querySelectorAll(".hit h2 a"));
  }

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var links = resultLinks();
      if (links.length) {
        event.preventDefault();
        links[0].focus();
      }
    }
  });

  main.addEventListener("keydown", function (event) {
    var links = resultLinks();
    var at = links.indexOf(document.activeElement);
    if (at === -1) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  // A thumbnail the blog no longer serves leaves no broken-image box.
  document.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains("thumb")) target.hidden = true;
  }, true);
})();
