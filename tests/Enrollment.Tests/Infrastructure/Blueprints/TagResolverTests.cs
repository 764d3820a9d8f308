using Enrollment.Infrastructure.Blueprints;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>The tags on their own and nested, without a database (<c>!Find</c> and <c>!KeyOf</c> are tested through imports).</summary>
public sealed class TagResolverTests
{
    private static async Task<object?> Resolve(string yaml, Dictionary<string, object?>? context = null, string? fileRoot = null)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var resolver = new TagResolver(context ?? [], new Dictionary<string, object> { ["known"] = Guid.Empty },
            (_, _, _) => Task.FromResult<object?>(null), new BlueprintFiles(fileRoot ?? Path.GetTempPath()));
        return await resolver.ResolveAsync(stream.Documents[0].RootNode, CancellationToken.None);
    }

    private static async Task<BlueprintException> Fails(string yaml, Dictionary<string, object?>? context = null) =>
        await Assert.ThrowsAsync<BlueprintException>(() => Resolve(yaml, context));

    [Theory]
    [InlineData("AND", "[true, true]", true)]
    [InlineData("AND", "[true, false]", false)]
    [InlineData("NAND", "[true, false]", true)]
    [InlineData("NAND", "[true, true]", false)]
    [InlineData("OR", "[false, 1]", true)]
    [InlineData("OR", "[false, '']", false)]
    [InlineData("NOR", "[false, 0]", true)]
    [InlineData("NOR", "[false, x]", false)]
    [InlineData("XOR", "[true, false, false]", true)]
    [InlineData("XOR", "[true, true]", false)]
    [InlineData("XNOR", "[true, true]", true)]
    [InlineData("XNOR", "[true, false]", false)]
    public async Task Condition_combines_truthy_values_by_mode(string mode, string values, bool expected)
    {
        var args = values.Trim('[', ']');
        Assert.Equal(expected, await Resolve($"!Condition [{mode}, {args}]"));
    }

    [Fact]
    public async Task Condition_with_an_unknown_mode_names_the_modes() =>
        Assert.Contains("AND, NAND, OR, NOR, XOR, XNOR", (await Fails("!Condition [MAYBE, true]")).Message);

    [Fact]
    public async Task Format_works_like_pythons_percent_operator() =>
        Assert.Equal("user-7 is True, 100%", await Resolve("!Format ['%s-%d is %s, 100%%', user, 7, true]"));

    [Fact]
    public async Task Format_with_too_few_arguments_is_an_error() =>
        Assert.Contains("not enough arguments", (await Fails("!Format ['%s-%s', one]")).Message);

    [Fact]
    public async Task Format_d_with_text_is_an_error() =>
        Assert.Contains("%d needs a number", (await Fails("!Format ['%d', abc]")).Message);

    [Fact]
    public async Task Context_reads_a_key_or_falls_back_to_the_default()
    {
        var context = new Dictionary<string, object?> { ["domain"] = "example.com" };
        Assert.Equal(new List<object?> { "example.com", "fallback", null }, await Resolve("[!Context domain, !Context [missing, fallback], !Context missing]", context));
    }

    [Fact]
    public async Task Env_reads_a_variable_or_falls_back_to_the_default()
    {
        Environment.SetEnvironmentVariable("ENROLLMENT_BLUEPRINT_TEST_VAR", "from-env");
        Assert.Equal(new List<object?> { "from-env", "dflt" }, await Resolve("[!Env ENROLLMENT_BLUEPRINT_TEST_VAR, !Env [ENROLLMENT_BLUEPRINT_TEST_MISSING, dflt]]"));
    }

    [Fact]
    public async Task File_reads_files_under_the_root_only()
    {
        var root = Directory.CreateTempSubdirectory("bp-files-").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "note.txt"), "hello from a file");
        var outside = Path.Combine(Path.GetDirectoryName(root)!, Path.GetFileName(root) + "-secret.txt");
        await File.WriteAllTextAsync(outside, "secret");
        try
        {
            Assert.Equal(new List<object?> { "hello from a file", "dflt", null },
                await Resolve("[!File note.txt, !File [missing.txt, dflt], !File missing.txt]", fileRoot: root));
            foreach (var path in new[] { outside, $"../{Path.GetFileName(outside)}", "/etc/passwd" })
            {
                var e = await Assert.ThrowsAsync<BlueprintException>(() => Resolve($"!File [\"{path}\", dflt]", fileRoot: root));
                Assert.Contains("outside the blueprints folder", e.Message);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task File_does_not_follow_a_symbolic_link_out_of_the_root()
    {
        var root = Directory.CreateTempSubdirectory("bp-links-").FullName;
        var outside = Path.GetTempFileName();
        try
        {
            File.CreateSymbolicLink(Path.Combine(root, "link.txt"), outside);
            Assert.Contains("outside", (await Assert.ThrowsAsync<BlueprintException>(() => Resolve("!File link.txt", fileRoot: root))).Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task If_picks_a_branch_and_resolves_only_that_one()
    {
        Assert.Equal("yes", await Resolve("!If [true, yes, !KeyOf not-there]"));
        Assert.Equal("no", await Resolve("!If [!Condition [AND, true, false], !KeyOf not-there, no]"));
        Assert.Equal(true, await Resolve("!If [non-empty]"));
    }

    [Fact]
    public async Task Enumerate_builds_lists_and_mappings_with_Index_and_Value()
    {
        Assert.Equal(new List<object?> { "0-a", "1-b" }, await Resolve("!Enumerate [[a, b], SEQ, !Format ['%d-%s', !Index 0, !Value 0]]"));
        var map = (Dictionary<string, object?>)(await Resolve("!Enumerate [{x: 1, y: 2}, MAP, [!Format ['key-%s', !Index 0], !Value 0]]"))!;
        Assert.Equal(new Dictionary<string, object?> { ["key-x"] = 1L, ["key-y"] = 2L }, map);
    }

    [Fact]
    public async Task Enumerate_nests_and_Index_1_reaches_the_outer_loop() =>
        Assert.Equal(new List<object?> { new List<object?> { "a1", "a2" }, new List<object?> { "b1", "b2" } },
            await Resolve("!Enumerate [[a, b], SEQ, !Enumerate [[1, 2], SEQ, !Format ['%s%s', !Value 1, !Value 0]]]"));

    [Fact]
    public async Task Index_outside_Enumerate_is_an_error() =>
        Assert.Contains("only allowed inside", (await Fails("!Index 0")).Message);

    [Fact]
    public async Task AtIndex_reads_lists_and_mappings_with_a_default()
    {
        Assert.Equal(new List<object?> { "b", "c", 2L, "dflt" },
            await Resolve("[!AtIndex [[a, b, c], 1], !AtIndex [[a, b, c], -1], !AtIndex [{k: 2}, k], !AtIndex [{k: 2}, other, dflt]]"));
        Assert.Contains("no default", (await Fails("!AtIndex [[a], 5]")).Message);
    }

    [Fact]
    public async Task ParseJSON_turns_text_into_values()
    {
        var value = (Dictionary<string, object?>)(await Resolve("""!ParseJSON '{"a": [1, true, null], "b": {"c": "d"}}'"""))!;
        Assert.Equal(new List<object?> { 1L, true, null }, value["a"]);
        Assert.Equal("d", ((Dictionary<string, object?>)value["b"]!)["c"]);
        Assert.Contains("invalid JSON", (await Fails("!ParseJSON '{nope'")).Message);
    }

    [Fact]
    public async Task Tags_nest_inside_each_other()
    {
        var context = new Dictionary<string, object?> { ["env"] = "prod", ["names"] = new List<object?> { "x", "y" } };
        Assert.Equal("flow-prod-x+y",
            await Resolve("!If [!Condition [AND, !Context env, !AtIndex [!Context names, 0]], !Format ['flow-%s-%s', !Context env, !Format ['%s+%s', !AtIndex [!Context names, 0], !AtIndex [!Context names, 1]]], nope]", context));
    }

    [Fact]
    public async Task KeyOf_an_unknown_id_names_it() =>
        Assert.Contains("'missing-id'", (await Fails("!KeyOf missing-id")).Message);

    [Fact]
    public async Task An_unknown_tag_is_an_error_naming_it() =>
        Assert.Contains("Unknown tag '!Kyeof'", (await Fails("!Kyeof x")).Message);

    [Fact]
    public async Task Quoted_and_plain_scalars_keep_yamls_types() =>
        Assert.Equal(new List<object?> { 1L, "1", true, "true", null, 1.5, "text" }, await Resolve("[1, '1', true, \"true\", ~, 1.5, text]"));
}
