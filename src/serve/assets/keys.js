// Keyboard niceties only: the page works without this script.
// "/" puts the cursor in the search box (unless one is typing already).
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  var target = event.target;
  var tag = target && target.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" ||
      (target && target.isContentEditable)) {
    return;
  }
  var box = document.getElementById("q");
  if (!box) {
    return;
  }
  event.preventDefault();
  box.focus();
  box.select();
});
