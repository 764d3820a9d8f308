// Progressive enhancements only: every page works without this file.
(function () {
    // Copy buttons: <button data-copy="#id"> copies the value or text of the element it names.
    document.addEventListener("click", function (e) {
        var button = e.target.closest("[data-copy]");
        if (!button) return;
        var source = document.querySelector(button.getAttribute("data-copy"));
        if (!source || !navigator.clipboard) return;
        var text = source.value !== undefined ? source.value : source.textContent;
        navigator.clipboard.writeText(text.trim()).then(function () {
            var old = button.textContent;
            button.textContent = "Copied";
            setTimeout(function () { button.textContent = old; }, 1500);
        });
    });
    // Confirmations for destructive buttons: <button data-confirm="…">. Without JS the confirm page does the asking.
    document.addEventListener("submit", function (e) {
        var button = e.submitter;
        var message = button && button.getAttribute("data-confirm");
        if (message && !window.confirm(message)) e.preventDefault();
    }, true);
    // The copy buttons are hidden until this script can make them work.
    document.documentElement.classList.add("js");
})();
