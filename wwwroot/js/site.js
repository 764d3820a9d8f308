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
    // Confirmations ask in a <dialog>. Without JavaScript the same links lead to a confirm page and the forms post to
    // the server as they are; with it, the page's question (its heading and card, as the server wrote them) opens in a
    // modal dialog over the page, and Cancel, Escape or a click outside it closes it with nothing done.
    function dialog() {
        var d = document.getElementById("confirm-dialog");
        if (!d) {
            d = document.createElement("dialog");
            d.id = "confirm-dialog";
            d.className = "confirm-dialog";
            d.setAttribute("aria-labelledby", "confirm-dialog-title");
            d.addEventListener("click", function (e) {
                if (e.target === d || e.target.closest("[data-cancel]")) { e.preventDefault(); d.close(); }
            });
            d.addEventListener("close", function () { if (d.opener && d.opener.isConnected) d.opener.focus(); });
            document.body.appendChild(d);
        }
        return d;
    }
    function open(d, opener, nodes) {
        d.replaceChildren.apply(d, nodes);
        var title = d.querySelector("h1, h2, p");
        if (title) title.id = "confirm-dialog-title";
        d.opener = opener;
        d.showModal();
        var cancel = d.querySelector("[data-cancel]");
        if (cancel) cancel.focus();
    }
    document.addEventListener("click", function (e) {
        var link = e.target.closest("a[data-confirm-dialog]");
        if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
        // Before htmx's boost sees the click (capture phase): the page is fetched for the dialog instead.
        e.preventDefault();
        e.stopPropagation();
        fetch(link.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
            .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
            .then(function (html) {
                var page = new DOMParser().parseFromString(html, "text/html");
                var heading = page.querySelector("main h1");
                var card = page.querySelector("main .card");
                if (!heading || !card) throw new Error("no question on " + link.href);
                card.querySelectorAll("form:not([action])").forEach(function (f) { f.setAttribute("action", link.pathname + link.search); });
                open(dialog(), link, [document.importNode(heading, true), document.importNode(card, true)]);
            })
            .catch(function () { window.location.href = link.href; });
    }, true);
    document.addEventListener("submit", function (e) {
        var form = e.target;
        var button = e.submitter;
        var message = button && button.getAttribute("data-confirm");
        if (!message || form.confirmed) { form.confirmed = false; return; }
        e.preventDefault();
        e.stopPropagation();
        var text = document.createElement("p");
        text.textContent = message;
        var yes = document.createElement("button");
        yes.type = "button";
        yes.className = "danger";
        yes.textContent = button.textContent;
        var no = document.createElement("button");
        no.type = "button";
        no.className = "secondary";
        no.setAttribute("data-cancel", "");
        no.textContent = "Cancel";
        var d = dialog();
        yes.addEventListener("click", function () { d.close(); form.confirmed = true; form.requestSubmit(button); });
        var actions = document.createElement("div");
        actions.className = "toolbar";
        actions.append(yes, no);
        open(d, button, [text, actions]);
    }, true);
    // The copy buttons are hidden until this script can make them work.
    document.documentElement.classList.add("js");
})();
