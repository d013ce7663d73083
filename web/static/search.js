/* blogsearch: search-as-you-type for the search box (progressive enhancement).
 * Without this file the page is a plain GET form and works the same.
 * WAI-ARIA combobox pattern: the input controls a listbox of suggested posts;
 * ArrowDown/ArrowUp move, Enter opens the chosen post, Escape closes the list.
 * Suggestions are inserted with textContent only, never as HTML. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch || !window.URL) return;
  var input = form.querySelector("input[name=q]");
  if (!input) return;

  var DELAY_MS = 120;
  var MIN_CHARS = 2;
  var listId = "q-suggestions";
  var items = [];
  var active = -1;
  var timer = null;
  var controller = null;

  var list = document.createElement("ul");
  list.id = listId;
  list.className = "suggestions";
  list.hidden = true;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.getAttribute("data-label-list") || "");
  input.parentNode.appendChild(list);

  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  function safeHref(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    var options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open(index) {
    var href = items[index] && safeHref(items[index].url);
    if (href) window.location.assign(href);
  }

  function render(suggestions) {
    items = suggestions.filter(function (s) { return s && s.title && safeHref(s.url); });
    list.textContent = "";
    active = -1;
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = listId + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = item.title;
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the input
        open(index);
      });
      list.appendChild(option);
    });
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = form.getAttribute("data-msg-some") || "";
    } else {
      close();
      status.textContent = "";
    }
  }

  function fetchSuggestions() {
    var q = input.value;
    if (q.trim().length < MIN_CHARS) {
      render([]);
      return;
    }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var url = new URL(form.getAttribute("data-suggest-url"), window.location.href);
    url.searchParams.set("q", q);
    fetch(url.href, {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (input.value === q) render(data.suggestions || []);
      })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DELAY_MS);
  });

  input.addEventListener("keydown", function (event) {
    var expanded = !list.hidden && items.length > 0;
    if (event.key === "ArrowDown") {
      if (!expanded) {
        fetchSuggestions();
        return;
      }
      event.preventDefault();
      setActive(active + 1 < items.length ? active + 1 : 0);
    } else if (event.key === "ArrowUp" && expanded) {
      event.preventDefault();
      setActive(active > 0 ? active - 1 : items.length - 1);
    } else if (event.key === "Enter" && expanded && active >= 0) {
      event.preventDefault();
      open(active);
    } else if (event.key === "Escape" && expanded) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", function () { close(); });
  form.addEventListener("submit", function () { close(); });
})();
