using System.Security.Cryptography;
using System.Text;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Enrollment.Tests.Infrastructure.Identity;

/// <summary>
/// PBKDF2-HMAC-SHA512 with two SHA-512 compressions per iteration gives the framework's bytes for every length of
/// password, salt, iteration count and output; the app's hasher writes Identity's V3 format, which Identity's own
/// hasher verifies (and the other way round), and answers as Identity does for everything else.
/// </summary>
public sealed class PasswordHashingTests
{
    [Fact]
    public void On_linux_the_fast_path_is_in_use()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(Pbkdf2Sha512.IsAccelerated, "SHA512_Transform of the framework's libcrypto should be found and pass the self-check");
    }

    public static TheoryData<string, int, int, int> Cases() => new()
    {
        { "", 16, 1, 32 },
        { "a", 16, 2, 32 },
        { "Bench-Tulip-Glacier-58!", 16, 100_000, 32 },
        { "pässwörd 密码 😀", 16, 1_000, 64 },
        { new string('x', 127), 8, 10, 16 },
        { new string('y', 128), 16, 10, 32 },
        { new string('z', 129), 16, 10, 32 },
        { new string('w', 1_000), 40, 7, 48 },
        { "longer output than one block", 16, 5, 100 },
        { "salt longer than a block", 300, 3, 32 },
        { "no salt", 0, 3, 32 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derives_the_framework_s_bytes(string password, int saltLength, int iterations, int length)
    {
        var salt = Enumerable.Range(0, saltLength).Select(i => (byte)(i * 37 + 11)).ToArray();
        var expected = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, length);
        var actual = new byte[length];
        Pbkdf2Sha512.Derive(password, salt, iterations, actual);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }

    [Theory]
    [InlineData("broken \uD800 surrogate")]
    [InlineData("\uDC00")]
    [InlineData("ends in half a pair \uD83D")]
    public void A_password_with_an_unpaired_surrogate_hashes_and_verifies_exactly_as_identity_does(string password)
    {
        var user = new User { UserName = "someone" };
        var ours = new IdentityV3PasswordHasher();
        var identity = new PasswordHasher<User>();
        // Identity encodes the password as UTF-8 with U+FFFD for what is not valid UTF-16; so must the same bytes.
        var lookalike = password.Replace('\uD800', '\uFFFD').Replace('\uDC00', '\uFFFD').Replace('\uD83D', '\uFFFD');
        foreach (var (made, by) in new[] { (ours.HashPassword(user, password), "ours"), (identity.HashPassword(user, password), "Identity's") })
            foreach (var typed in new[] { password, lookalike, password + "x" })
                Assert.True(Outcome(() => identity.VerifyHashedPassword(user, made, typed)) == Outcome(() => ours.VerifyHashedPassword(user, made, typed)),
                    $"a hash made by {by}, {typed.Length} characters typed: Identity and ours answer differently");
        Assert.Equal(PasswordVerificationResult.Success, identity.VerifyHashedPassword(user, ours.HashPassword(user, password), password));
    }

    private static string Outcome(Func<PasswordVerificationResult> verify)
    {
        try { return verify().ToString(); }
        catch (Exception e) { return e.GetType().Name; }
    }

    [Fact]
    public void Hashes_are_identity_s_v3_format_and_verify_both_ways()
    {
        var user = new User { UserName = "someone" };
        var ours = new IdentityV3PasswordHasher();
        var identity = new PasswordHasher<User>();
        var hash = ours.HashPassword(user, "Bench-Tulip-Glacier-58!");
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(13 + 16 + 32, bytes.Length);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(Convert.ToHexString(new byte[] { 0, 0, 0, 2, 0, 1, 0x86, 0xA0, 0, 0, 0, 16 }), Convert.ToHexString(bytes[1..13])); // HMAC-SHA512, 100,000, 16
        Assert.Equal(PasswordVerificationResult.Success, identity.VerifyHashedPassword(user, hash, "Bench-Tulip-Glacier-58!"));
        Assert.Equal(PasswordVerificationResult.Failed, identity.VerifyHashedPassword(user, hash, "Bench-Tulip-Glacier-59!"));
        var theirs = identity.HashPassword(user, "Correct-Horse-58");
        Assert.Equal(PasswordVerificationResult.Success, ours.VerifyHashedPassword(user, theirs, "Correct-Horse-58"));
        Assert.Equal(PasswordVerificationResult.Failed, ours.VerifyHashedPassword(user, theirs, "correct-horse-58"));
        Assert.NotEqual(hash, ours.HashPassword(user, "Bench-Tulip-Glacier-58!")); // a new salt each time
    }

    [Fact]
    public void Answers_as_identity_for_fewer_iterations_other_prfs_v2_and_garbage()
    {
        var user = new User { UserName = "someone" };
        var ours = new IdentityV3PasswordHasher();
        var fewer = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 10_000 })).HashPassword(user, "pw-Tulip-58");
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, ours.VerifyHashedPassword(user, fewer, "pw-Tulip-58"));
        Assert.Equal(PasswordVerificationResult.Failed, ours.VerifyHashedPassword(user, fewer, "pw-Tulip-59"));
        var v2 = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2 })).HashPassword(user, "pw-Tulip-58");
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, ours.VerifyHashedPassword(user, v2, "pw-Tulip-58"));
        // A V3 hash with HMAC-SHA256 (prf 1), made by hand as Identity lays it out.
        var salt = new byte[16];
        var sha256 = new byte[13 + 16 + 32];
        sha256[0] = 1;
        sha256[4] = 1;
        sha256[7] = 0x27; sha256[8] = 0x10; // 10,000
        sha256[12] = 16;
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("pw-Tulip-58"), salt, 10_000, HashAlgorithmName.SHA256, 32).CopyTo(sha256, 29);
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, ours.VerifyHashedPassword(user, Convert.ToBase64String(sha256), "pw-Tulip-58"));
        // Not base64: Identity throws, and so does this hasher (it hands such input to Identity).
        Assert.Throws<FormatException>(() => new PasswordHasher<User>().VerifyHashedPassword(user, "not base64!", "pw"));
        Assert.Throws<FormatException>(() => ours.VerifyHashedPassword(user, "not base64!", "pw"));
        foreach (var garbage in new[] { "", "AQ==", Convert.ToBase64String(new byte[20]), Convert.ToBase64String([1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 200]) })
            Assert.Equal(PasswordVerificationResult.Failed, ours.VerifyHashedPassword(user, garbage, "pw"));
        var v2Mode = new IdentityV3PasswordHasher(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2 }));
        Assert.Equal(0x00, Convert.FromBase64String(v2Mode.HashPassword(user, "pw"))[0]);
    }
}
