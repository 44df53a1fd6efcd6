/* Shahrak's page behaviour: the Jalali date picker, event forms, numbers in the reader's digits. */
(function () {
  "use strict";
  const fa = document.documentElement.lang === "fa";

  window.shahrak = {
    fa: fa,
    // Numbers for charts and tooltips: Persian digits and separators on Persian pages.
    number: function (value, decimals) {
      if (value === null || value === undefined || value === "") return "—";
      const options = { maximumFractionDigits: decimals || 0, minimumFractionDigits: decimals || 0 };
      return new Intl.NumberFormat(fa ? "fa-IR" : "en-US", options).format(value);
    },
    digits: function (text) {
      return fa ? String(text).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]) : String(text);
    },
  };

  function startDatePicker() {
    if (!window.jalaliDatepicker) return;
    const options = {
      autoReadOnlyInput: false, // people type dates too, in any digits; the server reads them
      persianDigits: fa, // the calendar in the reader's digits
      showTodayBtn: true,
      showEmptyBtn: true,
      zIndex: 2000,
    };
    if (!fa) {
      options.months = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
        "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"];
      options.days = ["Sa", "Su", "Mo", "Tu", "We", "Th", "Fr"];
    }
    jalaliDatepicker.startWatch(options);
    // The picker writes Latin digits; a Persian page shows Persian ones (the server reads both).
    if (fa) {
      document.addEventListener("input", function (event) {
        const box = event.target;
        if (!box.matches || !box.matches("input[data-jdp]")) return;
        const shown = window.shahrak.digits(box.value);
        if (shown !== box.value) box.value = shown;
      }, true);
    }
  }

  // An event's cause is asked only when a unit is idled, its jobs only when it is revived.
  function wireEventForms(root) {
    root.querySelectorAll("select[data-event-kind]").forEach(function (select) {
      const form = select.closest("form");
      const update = function () {
        form.querySelectorAll("[data-show-for]").forEach(function (input) {
          const box = input.closest("[data-field]") || input.parentElement;
          box.hidden = select.value !== input.dataset.showFor;
        });
      };
      select.addEventListener("change", update);
      update();
    });
  }

  // The period form asks only for what the chosen kind of period needs.
  function wirePeriodForm() {
    const select = document.getElementById("id_period_period");
    if (!select) return;
    const update = function () {
      const kind = select.value || "year";
      document.querySelectorAll("[data-period-for]").forEach(function (box) {
        box.hidden = box.dataset.periodFor.split(" ").indexOf(kind) < 0;
      });
    };
    select.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    startDatePicker();
    wireEventForms(document);
    wirePeriodForm();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    wireEventForms(event.target);
  });
})();
