using Enrollment.Domain;
using Enrollment.Infrastructure.Passwords;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Policies;

/// <summary>
/// The password policy's rules as authentik has them: each static rule failing and passing, the error message in
/// place of the per-rule sentences, the zxcvbn threshold (a score equal to it fails), and the default policy.
/// </summary>
public sealed class PasswordPolicyRulesTests
{
    private static PasswordPolicy Static(Action<PasswordPolicy> set)
    {
        var policy = new PasswordPolicy { Name = "rules" };
        set(policy);
        return policy;
    }

    [Theory]
    [InlineData("length", "abcdefg", "abcdefgh", "Use at least 8 characters.")]
    [InlineData("digits", "abc1", "a1b2", "Use at least 2 digits.")]
    [InlineData("uppercase", "Abc", "ABc", "Use at least 2 uppercase letters.")]
    [InlineData("lowercase", "ABc", "AbC d", "Use at least 2 lowercase letters.")]
    [InlineData("symbols", "ab!c", "a!b c", "Use at least 2 symbols (one of !\\\"#$%&'()*+,-./:;<=>?@[]^_`{|}~ or a space).")]
    public void Each_static_rule_fails_below_its_count_and_passes_at_it(string rule, string failing, string passing, string message)
    {
        var policy = Static(p =>
        {
            switch (rule)
            {
                case "length": p.LengthMin = 8; break;
                case "digits": p.AmountDigits = 2; break;
                case "uppercase": p.AmountUppercase = 2; break;
                case "lowercase": p.AmountLowercase = 2; break;
                case "symbols": p.AmountSymbols = 2; break;
            }
        });
        Assert.Equal([message], policy.StaticProblems(failing));
        Assert.Empty(policy.StaticProblems(passing));
    }

    [Fact]
    public void Every_failing_rule_is_named_unless_an_error_message_replaces_them()
    {
        var policy = Static(p => (p.LengthMin, p.AmountDigits, p.AmountUppercase, p.AmountSymbols) = (12, 1, 1, 1));
        Assert.Equal(["Use at least 12 characters.", "Use at least 1 digit.", "Use at least 1 uppercase letter.",
            "Use at least 1 symbol (one of !\\\"#$%&'()*+,-./:;<=>?@[]^_`{|}~ or a space)."], policy.StaticProblems("lowercase"));
        // Length counts characters, not UTF-16 units; letters of every script count as upper- and lowercase.
        Assert.Empty(Static(p => (p.LengthMin, p.AmountUppercase) = (3, 1)).StaticProblems("Ä😀😀"));
        Assert.NotEmpty(Static(p => p.LengthMin = 4).StaticProblems("Ä😀😀"));
        // A custom charset: only its characters count.
        Assert.Equal(["Use at least 1 symbol (one of #)."], Static(p => (p.AmountSymbols, p.SymbolCharset) = (1, "#")).StaticProblems("a!b"));
        // Static rules off: nothing is checked.
        Assert.Empty(Static(p => (p.LengthMin, p.CheckStaticRules) = (50, false)).StaticProblems("x"));
    }

    [Fact]
    public async Task The_error_message_replaces_the_rules_sentences()
    {
        var policy = Static(p => (p.LengthMin, p.AmountDigits, p.ErrorMessage) = (10, 1, "Ten characters and a digit, please."));
        var verdict = await new PasswordChecker(null!, Localizers.Flow).CheckAsync(policy, "short", null, CancellationToken.None);
        Assert.False(verdict.Passing);
        Assert.Equal(["Ten characters and a digit, please."], verdict.Messages);
        Assert.True((await new PasswordChecker(null!, Localizers.Flow).CheckAsync(policy, "long-enough-1", null, CancellationToken.None)).Passing);
    }

    [Theory]
    [InlineData("password", 0)]
    [InlineData("Password1!", 0)]
    [InlineData("correct horse battery staple", 4)]
    public void Zxcvbn_scores_as_the_package_does(string password, int score) =>
        Assert.Equal(score, PasswordStrength.Estimate(password).Score);

    [Fact]
    public async Task A_score_equal_to_the_threshold_fails_and_one_above_passes()
    {
        var checker = new PasswordChecker(null!, Localizers.Flow);
        var score = PasswordStrength.Estimate("correct horse battery staple").Score; // 4
        var atThreshold = Static(p => (p.CheckStaticRules, p.CheckZxcvbn, p.ZxcvbnScoreThreshold) = (false, true, score));
        var below = Static(p => (p.CheckStaticRules, p.CheckZxcvbn, p.ZxcvbnScoreThreshold) = (false, true, score - 1));

        var failed = await checker.CheckAsync(atThreshold, "correct horse battery staple", null, CancellationToken.None);
        Assert.False(failed.Passing);
        Assert.Equal(score, failed.Score);
        Assert.StartsWith(PasswordChecker.TooWeak, Assert.Single(failed.Messages));
        Assert.True((await checker.CheckAsync(below, "correct horse battery staple", null, CancellationToken.None)).Passing);
        Assert.True(atThreshold.TooWeak(score) && !atThreshold.TooWeak(score + 1));
    }

    [Fact]
    public async Task Zxcvbn_explains_what_makes_a_password_weak_and_knows_the_persons_own_words()
    {
        var checker = new PasswordChecker(null!, Localizers.Flow);
        var policy = Static(p => (p.CheckStaticRules, p.CheckZxcvbn) = (false, true));
        var common = Assert.Single((await checker.CheckAsync(policy, "P@ssw0rd", null, CancellationToken.None)).Messages);
        Assert.Contains("Avoid common passwords", common);
        Assert.Contains("Predictable substitutions", common);
        var keyboard = Assert.Single((await checker.CheckAsync(policy, "asdfghjkl;", null, CancellationToken.None)).Messages);
        Assert.Contains("keyboard patterns", keyboard);
        var own = Assert.Single((await checker.CheckAsync(policy, "janedoe2", ["janedoe"], CancellationToken.None)).Messages);
        Assert.Contains("Avoid your name, username or email address.", own);
    }

    [Fact]
    public async Task The_default_policy_refuses_password_and_Password1_and_accepts_a_passphrase()
    {
        var checker = new PasswordChecker(null!, Localizers.Flow);
        var policy = PasswordPolicy.Default;
        Assert.Equal((8, true, true, 1, false), (policy.LengthMin, policy.CheckStaticRules, policy.CheckZxcvbn, policy.ZxcvbnScoreThreshold, policy.CheckHaveIBeenPwned));
        Assert.Equal(0, policy.AmountDigits + policy.AmountUppercase + policy.AmountLowercase + policy.AmountSymbols); // no composition rules

        foreach (var weak in new[] { "password", "Password1!" })
        {
            var verdict = await checker.CheckAsync(policy, weak, null, CancellationToken.None);
            Assert.False(verdict.Passing, weak);
            Assert.StartsWith(PasswordChecker.TooWeak, Assert.Single(verdict.Messages));
        }
        Assert.Equal(["Use at least 8 characters."], (await checker.CheckAsync(policy, "Xq7#", null, CancellationToken.None)).Messages);
        Assert.True((await checker.CheckAsync(policy, "correct horse battery staple", null, CancellationToken.None)).Passing);
        Assert.Equal("At least 8 characters; avoid common words and patterns.", policy.Hint());
    }

    [Fact]
    public void The_hint_states_the_rules_before_anything_is_typed()
    {
        Assert.Equal("At least 12 characters, 1 digit and 2 symbols; avoid common words and patterns; not a password known from data breaches.",
            Static(p => (p.LengthMin, p.AmountDigits, p.AmountSymbols, p.CheckZxcvbn, p.CheckHaveIBeenPwned) = (12, 1, 2, true, true)).Hint());
        Assert.Equal("At least 1 uppercase letter.", Static(p => p.AmountUppercase = 1).Hint());
        Assert.Null(Static(p => p.CheckStaticRules = false).Hint());
        Assert.Null(Static(_ => { }).Hint()); // authentik's defaults: static rules on, every count 0
    }
}
