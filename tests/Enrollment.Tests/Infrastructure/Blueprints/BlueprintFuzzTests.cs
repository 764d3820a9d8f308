using System.Text;
using Enrollment.Tests.Kit;
using Xunit.Abstractions;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// Random damage to a valid blueprint: whatever the import makes of it, it returns a result (never throws) and a
/// failed import leaves the database as it was. Seeded, so a failure names the mutation that reproduces it.
/// </summary>
public sealed class BlueprintFuzzTests(Hosts.WithBlueprintRoot app, ITestOutputHelper output) : IClassFixture<Hosts.WithBlueprintRoot>
{
    private const int Seed = 20261125;
    private const int Mutations = 300;
    private static readonly string[] Tags = ["!KeyOf", "!Find", "!Context", "!Env", "!File", "!Format", "!Condition", "!If", "!Enumerate", "!Index", "!Value", "!AtIndex", "!ParseJSON", "!Nope", "!!str", "&x", "*x"];

    [Fact]
    public async Task Mutated_blueprints_never_throw_and_failed_imports_change_nothing()
    {
        var random = new Random(Seed);
        var valid = Samples.Enrollment("fuzz");
        var snapshot = await app.SnapshotAsync();
        var failed = 0;
        var messages = new Dictionary<string, int>();
        for (var i = 0; i < Mutations; i++)
        {
            var yaml = Mutate(valid, random);
            Enrollment.Infrastructure.Blueprints.BlueprintResult result;
            try
            {
                result = await app.ImportAsync(yaml);
            }
            catch (Exception e)
            {
                Assert.Fail($"Mutation {i} (seed {Seed}) threw {e}\n--- blueprint ---\n{yaml}");
                return;
            }
            var after = await app.SnapshotAsync();
            if (!result.Success)
            {
                Assert.True(snapshot == after, $"Mutation {i} (seed {Seed}) failed but changed the database: {result}\n--- blueprint ---\n{yaml}");
                var error = Assert.Single(result.Errors);
                failed++;
                var kind = System.Text.RegularExpressions.Regex.Replace(error.Message, @"\d+", "#") is var k && k.Length > 70 ? k[..70] : k;
                messages[kind] = messages.GetValueOrDefault(kind) + 1;
            }
            snapshot = after;
        }
        output.WriteLine($"{failed} of {Mutations} mutations failed to import:");
        foreach (var (kind, n) in messages.OrderByDescending(p => p.Value)) output.WriteLine($"{n,4} {kind}");
        // Both paths must be exercised, or the test proves little: damage that is caught, and damage that still imports.
        Assert.InRange(failed, Mutations / 10, Mutations - Mutations / 20);
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var count = random.Next(1, 4);
        for (var n = 0; n < count; n++)
        {
            var i = random.Next(lines.Count);
            switch (random.Next(6))
            {
                case 0:
                    lines.RemoveAt(i);
                    if (lines.Count == 0) lines.Add("");
                    break;
                case 1:
                    lines.Insert(i, lines[i]);
                    break;
                case 2:
                    lines[i] = SwapCharacters(lines[i], random);
                    break;
                case 3:
                    lines[i] = random.Next(2) == 0 ? "  " + lines[i] : lines[i].TrimStart().PadLeft(lines[i].TrimStart().Length + random.Next(0, 3));
                    break;
                case 4:
                    lines[i] = ChangeTag(lines[i], random);
                    break;
                default:
                    var other = random.Next(lines.Count);
                    (lines[i], lines[other]) = (lines[other], lines[i]);
                    break;
            }
        }
        return string.Join('\n', lines);
    }

    private const string Specials = "[]{}:,&*!'\"#|>-%";

    private static string SwapCharacters(string line, Random random)
    {
        if (line.Length < 2) return line + ":";
        var chars = line.ToCharArray();
        var a = random.Next(chars.Length);
        var b = random.Next(chars.Length);
        (chars[a], chars[b]) = (chars[b], chars[a]);
        if (random.Next(3) == 0) chars[random.Next(chars.Length)] = Specials[random.Next(Specials.Length)];
        return new string(chars);
    }

    private static string ChangeTag(string line, Random random)
    {
        var tag = Tags[random.Next(Tags.Length)];
        var at = line.IndexOf('!');
        if (at >= 0)
        {
            var end = line.IndexOf(' ', at);
            return new StringBuilder(line).Remove(at, (end < 0 ? line.Length : end) - at).Insert(at, tag).ToString();
        }
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? line : line.Insert(colon + 2, tag + " ");
    }
}
