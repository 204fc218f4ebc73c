// A live count of a panel reply as the SMS it becomes: the reference prefix and the text as the
// server will send it, in GSM-7 (160 to one SMS) or, when a character is outside it, UCS-2 (70).
// The alphabet, the punctuation the server makes plain and the limits come from the server
// (data-sms-rules), so the count is the server's. While the reply does not fit, its button is
// off; the server refuses such a reply all the same, script or none.
(function () {
  "use strict";

  // As the server reads what the form posts: line breaks as one LF, trimmed, with curly
  // quotes, dashes and the like made plain.
  function asSent(text, plain) {
    var posted = text.replace(/\r\n|\r|\n/g, "\n").trim();
    var sent = "";
    for (var i = 0; i < posted.length; i++) {
      var ch = posted.charAt(i);
      sent += Object.prototype.hasOwnProperty.call(plain, ch) ? plain[ch] : ch;
    }
    return sent;
  }

  // GSM-7 septets, or UTF-16 code units (what `length` counts) once one character needs UCS-2.
  function measure(text, rules) {
    var units = 0;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (rules.gsm7.indexOf(ch) >= 0) {
        units += 1;
      } else if (rules.extended.indexOf(ch) >= 0) {
        units += 2;
      } else {
        return { units: text.length, limit: rules.ucs2_limit };
      }
    }
    return { units: units, limit: rules.gsm7_limit };
  }

  document.querySelectorAll("textarea[data-sms-rules]").forEach(function (box) {
    var rules = JSON.parse(box.getAttribute("data-sms-rules"));
    var out = document.getElementById(box.getAttribute("data-sms-counter"));
    var prefix = Number(box.getAttribute("data-sms-prefix"));
    var send = box.form.querySelector("button[type=submit]");
    function show() {
      var m = measure(asSent(box.value, rules.plain), rules);
      var used = m.units + prefix;
      var over = used > m.limit;
      out.textContent = used + "/" + m.limit + " · " + out.getAttribute(over ? "data-over" : "data-fits");
      out.classList.toggle("over", over);
      box.setAttribute("aria-invalid", over ? "true" : "false");
      send.disabled = over;
    }
    box.addEventListener("input", show);
    show();
  });
})();
