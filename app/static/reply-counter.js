// A live count of a panel reply as the SMS it becomes: the reference prefix and the text, in
// GSM-7 (160 to one SMS) or, when a character is outside it, UCS-2 (70). The server refuses a
// reply that does not fit; this only shows it while typing.
(function () {
  "use strict";
  var GSM7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€\f";

  function measure(text) {
    var units = 0;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (GSM7.indexOf(ch) >= 0) {
        units += 1;
      } else if (EXTENDED.indexOf(ch) >= 0) {
        units += 2;
      } else {
        return { units: text.length, limit: 70 };
      }
    }
    return { units: units, limit: 160 };
  }

  document.querySelectorAll("textarea[data-sms-prefix]").forEach(function (box) {
    var out = document.getElementById(box.getAttribute("data-sms-counter"));
    var prefix = Number(box.getAttribute("data-sms-prefix"));
    function show() {
      var m = measure(box.value);
      var used = m.units + prefix;
      var over = used > m.limit;
      out.textContent = used + "/" + m.limit + " · " + out.getAttribute(over ? "data-over" : "data-fits");
      out.classList.toggle("over", over);
    }
    box.addEventListener("input", show);
    show();
  });
})();
