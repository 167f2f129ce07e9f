/* Runs only in a browser too old for the form's modules (<script nomodule>): shows the clinic's phone instead. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.getElementById("form-unavailable").hidden = false;
});
