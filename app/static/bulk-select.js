// The queue's bulk form, made quicker where scripts run: one checkbox ticks every case on the
// page (mixed while only some are), the bar says how many are ticked in the page's language
// (data-counts holds the sentence for each count), and it shows only the fields the chosen
// action takes. Without scripts the form sends the ticked cases and every field as it is.
(function () {
  "use strict";

  document.querySelectorAll("input[data-pick-all]").forEach(function (all) {
    var form = all.form;
    var boxes = form.querySelectorAll("input[type=checkbox][name=" + all.getAttribute("data-pick-all") + "]");
    var count = form.querySelector("output[data-counts]");
    var counts = JSON.parse(count.getAttribute("data-counts"));

    function show() {
      var ticked = 0;
      boxes.forEach(function (box) {
        if (box.checked) ticked += 1;
      });
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
      count.textContent = ticked ? counts[ticked] : "";
    }

    all.addEventListener("change", function () {
      boxes.forEach(function (box) {
        box.checked = all.checked;
      });
      show();
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", show);
    });
    all.parentElement.hidden = false;
    show();
  });

  document.querySelectorAll("form.bulk-form select[name=action]").forEach(function (action) {
    var fields = action.form.querySelectorAll("[data-for-action]");
    function show() {
      fields.forEach(function (field) {
        field.hidden = field.getAttribute("data-for-action") !== action.value;
      });
    }
    action.addEventListener("change", show);
    show();
  });
})();
