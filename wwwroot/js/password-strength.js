// Progressive enhancement: a strength meter for each password field described by its rules (an element of class
// password-rules among its aria-describedby).
// It is an estimate made in the browser (length, variety, common words and patterns) and never leaves it; the server's
// check (the password policy, with zxcvbn) decides. Every form works without this file.
(function () {
    var common = ["password", "passwort", "motdepasse", "contrasena", "wachtwoord", "qwerty", "qwertz", "azerty", "asdf",
        "letmein", "welcome", "admin", "iloveyou", "monkey", "dragon", "sunshine", "football", "baseball", "master",
        "login", "princess", "secret", "abc", "123", "000", "111", "summer", "winter", "spring", "autumn"];
    // The page gives the readings in its language (data-strength-labels on the rules, "|"-separated); else English.
    var english = ["Estimated strength: Very weak", "Estimated strength: Weak", "Estimated strength: Fair",
        "Estimated strength: Good", "Estimated strength: Strong"];

    function labelsOf(rules) {
        var given = (rules.getAttribute("data-strength-labels") || "").split("|");
        return given.length === 5 && given.every(function (l) { return l.length > 0; }) ? given : english;
    }

    function effectiveLength(p) {
        var s = p.toLowerCase();
        common.forEach(function (w) { s = s.split(w).join("\u0001"); });
        // Runs of one character, and steps like abc or 987, add little.
        var out = 0;
        for (var i = 0; i < s.length; i++) {
            var c = s.charCodeAt(i), prev = s.charCodeAt(i - 1), prev2 = s.charCodeAt(i - 2);
            var run = i > 0 && (c === prev || c - prev === 1 || prev - c === 1);
            var run2 = i > 1 && c - prev === prev - prev2;
            out += run && run2 ? 0.25 : run ? 0.5 : 1;
        }
        return out;
    }

    function estimate(p) {
        if (p.length < 8) return 0;
        var classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (r) { return r.test(p); }).length;
        var length = effectiveLength(p);
        var score = length < 8 ? 0 : length < 11 ? 1 : length < 15 ? 2 : length < 20 ? 3 : 4;
        if (classes >= 3 && length >= 10 && score < 4) score++;
        if (new Set(p).size < 5) score = Math.min(score, 1);
        return score;
    }

    function rulesOf(input) {
        var ids = (input.getAttribute("aria-describedby") || "").split(" ");
        for (var i = 0; i < ids.length; i++) {
            var element = ids[i] && document.getElementById(ids[i]);
            if (element && element.classList.contains("password-rules")) return element;
        }
        return null;
    }

    function meterFor(input) {
        var rules = rulesOf(input);
        if (!rules) return null;
        var existing = rules.parentNode.querySelector(".strength[data-for='" + input.id + "']");
        if (existing) return existing;
        var box = document.createElement("div");
        box.className = "strength";
        box.setAttribute("data-for", input.id);
        var meter = document.createElement("meter");
        meter.min = 0; meter.max = 4; meter.low = 2; meter.high = 3; meter.optimum = 4;
        meter.setAttribute("aria-hidden", "true");
        var text = document.createElement("span");
        text.setAttribute("aria-live", "polite");
        box.appendChild(meter);
        box.appendChild(text);
        rules.insertAdjacentElement("afterend", box);
        return box;
    }

    document.addEventListener("input", function (e) {
        var input = e.target;
        if (!input.matches || !input.matches("input[type=password][aria-describedby]")) return;
        var box = meterFor(input);
        if (!box) return;
        var value = input.value;
        box.hidden = value.length === 0;
        var score = estimate(value);
        box.querySelector("meter").value = score;
        box.querySelector("span").textContent = labelsOf(rulesOf(input))[score];
    });
})();
