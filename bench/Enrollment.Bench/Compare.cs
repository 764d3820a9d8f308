// Side by side: our enrollment over authentik's example internal flow against ASP.NET Core Identity's own Register page
// (bench/IdentityPeer), driven by this one client in one run, in alternating rounds.
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Features.Stages.Invitation;
using Enrollment.Features.Stages.Prompt;
using Enrollment.Features.Stages.UserLogin;
using Enrollment.Features.Stages.UserWrite;
using Microsoft.Data.Sqlite;

internal static class Compare
{
    public const string OursName = "ours (example internal flow)";
    public const string PeerName = "peer (Identity's Register page)";

    /// <summary>
    /// Warm-up of both, then <c>--rounds</c> rounds, each running a share of ours and the same share of the peer's
    /// (which goes first alternates, so that a machine getting busier or quieter weighs on both alike), each server's
    /// CPU (from /proc, its children's included) read around its own share while the other server sits idle.
    /// </summary>
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var peerUrl = options.PeerUrl!;
        // "--peer -": ours alone (bench/profile takes the server's profile under this load).
        var withPeer = peerUrl != "-";
        Console.WriteLine($"Side-by-side bench {run}: ours {options.BaseUrl}, peer {peerUrl}; {Environment.ProcessorCount} cores, N={options.N} accounts each, concurrency={options.Concurrency}, warm-up={options.Warmup} each, rounds={options.Rounds}");
        var loadBefore = Load();
        var flow = await ExampleFlowAsync(options, $"example-{run}", options.N + options.Warmup);
        Console.WriteLine($"set up: flow {flow.Slug} (invitation, credentials prompt, details prompt, user write, user login), {flow.Invitations.Count} single-use invitations");
        Process? ours = options.ServerPid is { } p1 ? Process.GetProcessById(p1) : null;
        Process? peer = options.PeerPid is { } p2 ? Process.GetProcessById(p2) : null;

        Task Ours(HttpClient c, (Invitation, int) x, Stats s) => OursWalkAsync(c, flow, run, x, s);
        Task Peer(HttpClient c, (Invitation?, int) x, Stats s) => PeerWalkAsync(c, run, x.Item2, s);

        // Warm-up, not measured: both servers compile their hot paths and fill their pools.
        await Phase.RunAsync("warm-up", options, flow.Invitations.Take(options.Warmup).ToList(),
            (c, x, s) => Ours(c, (x.Item1, x.Item2), s), ours, quiet: true);
        if (withPeer) await Phase.RunAsync("warm-up", options with { BaseUrl = peerUrl }, Enumerable.Repeat<Invitation>(null!, options.Warmup).ToList(),
            (c, x, s) => Peer(c, (null, x.Item2), s), peer, quiet: true);

        var oursRounds = new List<PhaseResult>();
        var peerRounds = new List<PhaseResult>();
        var loads = new List<string>();
        for (var r = 0; r < options.Rounds; r++)
        {
            var (from, to) = (options.Warmup + r * options.N / options.Rounds, options.Warmup + (r + 1) * options.N / options.Rounds);
            async Task RunOurs()
            {
                await IdleAsync(ours, peer);
                oursRounds.Add(await Phase.RunAsync($"{OursName}, round {r + 1}", options, flow.Invitations[from..to],
                    (c, x, s) => Ours(c, (x.Item1, x.Item2), s), ours, firstIndex: from));
            }
            async Task RunPeer()
            {
                await IdleAsync(ours, peer);
                peerRounds.Add(await Phase.RunAsync($"{PeerName}, round {r + 1}", options with { BaseUrl = peerUrl }, Enumerable.Repeat<Invitation>(null!, to - from).ToList(),
                    (c, x, s) => Peer(c, (null, x.Item2), s), peer, firstIndex: from));
            }
            if (!withPeer) await RunOurs();
            else if (r % 2 == 0) { await RunOurs(); await RunPeer(); }
            else { await RunPeer(); await RunOurs(); }
            loads.Add(Load());
        }

        var o = PhaseResult.Combine(OursName, oursRounds);
        if (!withPeer)
        {
            Console.WriteLine(o.Report("accounts", OursRequests));
            return o.Failed == 0 ? 0 : 1;
        }
        var q = PhaseResult.Combine(PeerName, peerRounds);
        var oursUsers = await Setup.CountUsersAsync(options, $"c{run}-");
        var peerUsers = options.PeerDb is { } peerDb ? CountPeerUsers(peerDb, $"p{run}-") : -1;

        Console.WriteLine();
        Console.WriteLine("==== side by side ====");
        Console.WriteLine(o.Report("accounts", OursRequests));
        Console.WriteLine(q.Report("accounts", PeerRequests));
        Console.WriteLine();
        var rows = new[] { Row(o, ours is not null), Row(q, peer is not null) };
        Console.WriteLine($"{"",-34} {"accounts/s",10} {"CPU ms/account",15} {"p50 req",9} {"p95 req",9} {"p50 account",12} {"p95 account",12} {"client CPU ms/acct",19}");
        foreach (var (name, row) in new[] { (OursName, rows[0]), (PeerName, rows[1]) })
            Console.WriteLine($"{name,-34} {row.Rate,10:F1} {row.CpuMs,15:F1} {row.P50,9:F1} {row.P95,9:F1} {row.WalkP50,12:F1} {row.WalkP95,12:F1} {row.ClientMs,19:F1}");
        var (cpuRatio, rateRatio) = (rows[0].CpuMs / rows[1].CpuMs, rows[0].Rate / rows[1].Rate);
        Console.WriteLine($"{"ratio ours/peer",-34} {rateRatio,10:F3} {cpuRatio,15:F3} {rows[0].P50 / rows[1].P50,9:F2} {rows[0].P95 / rows[1].P95,9:F2} {rows[0].WalkP50 / rows[1].WalkP50,12:F2} {rows[0].WalkP95 / rows[1].WalkP95,12:F2} {rows[0].ClientMs / rows[1].ClientMs,19:F2}");
        for (var r = 0; r < oursRounds.Count; r++)
            Console.WriteLine($"  round {r + 1} ({(r % 2 == 0 ? "ours first" : "peer first")}): ours {Row(oursRounds[r], ours is not null).Rate:F1}/s {Row(oursRounds[r], ours is not null).CpuMs:F1} ms, peer {Row(peerRounds[r], peer is not null).Rate:F1}/s {Row(peerRounds[r], peer is not null).CpuMs:F1} ms; load after {loads[r]}");
        Console.WriteLine($"targets: server CPU per account <= 0.9 x the peer's: {cpuRatio:F3} -> {(cpuRatio <= 0.9 ? "MET" : "MISSED")}; accounts/s >= 1.05 x the peer's: {rateRatio:F3} -> {(rateRatio >= 1.05 ? "MET" : "MISSED")}");
        var expected = options.N + options.Warmup;
        Console.WriteLine($"database check: ours {oursUsers} users, peer {(peerUsers < 0 ? "not checked (no --peer-db)" : peerUsers.ToString())} (expected {expected} each: {options.N} measured + {options.Warmup} warm-up){(oursUsers == expected && (peerUsers < 0 || peerUsers == expected) ? "" : "  MISMATCH")}");
        Console.WriteLine($"machine load average (1/5/15 min) at start: {loadBefore}; at end: {Load()}  ({Environment.ProcessorCount} cores)");
        var failed = o.Failed + q.Failed;
        return failed == 0 && oursUsers == expected && (peerUsers < 0 || peerUsers == expected) ? 0 : 1;
    }

    private const int OursRequests = 5;
    private const int PeerRequests = 3;

    private sealed record Figures(double Rate, double CpuMs, double P50, double P95, double WalkP50, double WalkP95, double ClientMs);

    private static Figures Row(PhaseResult r, bool hasCpu)
    {
        var all = r.Stats.All();
        var walks = r.Stats.Sorted(Stats.WalkKind);
        var requests = all.Length == 0 ? all : [.. r.Stats.Kinds.Where(k => k != Stats.WalkKind).SelectMany(k => r.Stats.Sorted(k)).OrderBy(x => x)];
        var n = Math.Max(r.Completed, 1);
        return new Figures(r.Completed / r.Elapsed.TotalSeconds, hasCpu && r.ServerCpu is { } cpu ? cpu.TotalMilliseconds / n : double.NaN,
            Stats.Percentile(requests, 50), Stats.Percentile(requests, 95), Stats.Percentile(walks, 50), Stats.Percentile(walks, 95),
            r.BenchCpu.TotalMilliseconds / n);
    }

    /// <summary>Both servers quiet (under 10 ms CPU in half a second), at most 20 s.</summary>
    private static async Task IdleAsync(Process? a, Process? b)
    {
        for (var i = 0; i < 40; i++)
        {
            a?.Refresh();
            b?.Refresh();
            var (a0, b0) = (a is null ? TimeSpan.Zero : ServerCpu.Of(a), b is null ? TimeSpan.Zero : ServerCpu.Of(b));
            await Task.Delay(500);
            a?.Refresh();
            b?.Refresh();
            var (a1, b1) = (a is null ? TimeSpan.Zero : ServerCpu.Of(a), b is null ? TimeSpan.Zero : ServerCpu.Of(b));
            if ((a1 - a0).TotalMilliseconds < 10 && (b1 - b0).TotalMilliseconds < 10) return;
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>
    /// authentik's example internal enrollment flow (blueprints/example/invitation-based-enrollment.yaml, "Enrollment
    /// for internal users"): invitation → credentials prompt (username, password, password repeat) → details prompt
    /// (name, email) → user write (always create, internal, users/internal) → user login; no password policy bound, so
    /// the default password policy checks the password. Each invitation carries the invitee's email in fixed_data.
    /// </summary>
    public static async Task<BenchFlow> ExampleFlowAsync(BenchOptions options, string slug, int invitations)
    {
        await using var db = Setup.Open(options);
        var flow = new Flow { Name = $"Enrollment for internal users {slug}", Slug = slug, Title = "Welcome! Complete your enrollment.", Designation = FlowDesignation.Enrollment, Authentication = FlowAuthentication.RequireUnauthenticated };
        var credentials = new PromptStage
        {
            Name = $"{slug}-credentials",
            Fields =
            [
                new() { Name = $"{slug}-username", FieldKey = "username", Label = "Username", Type = PromptType.Username, Placeholder = "Username", Order = 0 },
                new() { Name = $"{slug}-password", FieldKey = "password", Label = "Password", Type = PromptType.Password, Placeholder = "Password", Order = 1 },
                new() { Name = $"{slug}-password-repeat", FieldKey = "password_repeat", Label = "Password (repeat)", Type = PromptType.Password, Placeholder = "Password (repeat)", Order = 2 },
            ],
        };
        var details = new PromptStage
        {
            Name = $"{slug}-details",
            Fields =
            [
                new() { Name = $"{slug}-name", FieldKey = "name", Label = "Name", Type = PromptType.Text, Placeholder = "Name", Order = 0 },
                new() { Name = $"{slug}-email", FieldKey = "email", Label = "Email", Type = PromptType.Email, Placeholder = "Email", Order = 1 },
            ],
        };
        var invitation = new InvitationStage { Name = $"{slug}-invitation", ContinueFlowWithoutInvitation = false };
        var write = new UserWriteStage { Name = $"{slug}-write-internal", UserCreationMode = UserCreationMode.AlwaysCreate, UserType = UserType.Internal, UserPathTemplate = "users/internal" };
        var login = new UserLoginStage { Name = $"{slug}-login", SessionDuration = "seconds=0" };
        db.AddRange(flow, invitation, credentials, details, write, login);
        db.AddRange(
            new FlowStageBinding { Flow = flow, Stage = invitation, Order = 0 },
            new FlowStageBinding { Flow = flow, Stage = credentials, Order = 10 },
            new FlowStageBinding { Flow = flow, Stage = details, Order = 20 },
            new FlowStageBinding { Flow = flow, Stage = write, Order = 30 },
            new FlowStageBinding { Flow = flow, Stage = login, Order = 100 });
        var list = Enumerable.Range(0, invitations).Select(i => new Invitation
        {
            Name = $"{slug}-{i}",
            FlowId = flow.Id,
            SingleUse = true,
            FixedData = new JsonObject { ["email"] = $"invitee{i}@{slug}.example.com" },
        }).ToList();
        db.Invitations.AddRange(list);
        await db.SaveChangesAsync();
        return new BenchFlow(slug, flow.Title, list);
    }

    public const string GetCredentials = "ours: GET invitation link (credentials form)";
    public const string PostCredentials = "ours: POST credentials (hash; -> 302)";
    public const string GetDetails = "ours: GET details form";
    public const string PostDetails = "ours: POST details + user write + login (-> 302)";
    public const string GetUserPage = "ours: GET /if/user/";
    public const string GetRegister = "peer: GET /Identity/Account/Register";
    public const string PostRegister = "peer: POST register (hash, insert, sign-in; -> 302)";
    public const string GetHome = "peer: GET / (signed in)";

    private const string Password = "Bench-Tulip-Glacier-58!";

    /// <summary>Invitation link → credentials → (302) details, whose POST runs user write + login → (302) the user's page.</summary>
    private static async Task OursWalkAsync(HttpClient client, BenchFlow flow, string run, (Invitation Invitation, int Index) invitee, Stats stats)
    {
        var started = Stopwatch.GetTimestamp();
        var self = $"/if/flow/{flow.Slug}/";
        var link = $"{self}?itoken={invitee.Invitation.Id}";
        var username = $"c{run}-{invitee.Index}";
        var email = (string)invitee.Invitation.FixedData["email"]!;

        var page = await stats.TimeAsync(GetCredentials, () => client.GetAsync(link), HttpStatusCode.OK);
        Html.Expect(page, "name=\"password_repeat\"", "the credentials form");
        var location = await stats.TimeAsync(PostCredentials, () => client.PostAsync(link, Html.Form(page,
            ("username", username), ("password", Password), ("password_repeat", Password))), HttpStatusCode.Found);
        Html.ExpectLocation(location, self);
        page = await stats.TimeAsync(GetDetails, () => client.GetAsync(self), HttpStatusCode.OK);
        Html.Expect(page, $"value=\"{email}\"", "the details form with the invitation's email");
        location = await stats.TimeAsync(PostDetails, () => client.PostAsync(self, Html.Form(page, ("name", $"Invitee {invitee.Index}"), ("email", email))), HttpStatusCode.Found);
        Html.ExpectLocation(location, "/if/user/");
        var home = await stats.TimeAsync(GetUserPage, () => client.GetAsync("/if/user/"), HttpStatusCode.OK);
        Html.Expect(home, $"<dd>{username}</dd>", "the new user's page");
        stats.Add(Stats.WalkKind, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>GET the Register page → POST the form (antiforgery from the page) → (302) GET / showing the signed-in user.</summary>
    private static async Task PeerWalkAsync(HttpClient client, string run, int index, Stats stats)
    {
        var started = Stopwatch.GetTimestamp();
        var email = $"p{run}-{index}@peer.example.com";
        var page = await stats.TimeAsync(GetRegister, () => client.GetAsync("/Identity/Account/Register"), HttpStatusCode.OK);
        Html.Expect(page, "name=\"Input.ConfirmPassword\"", "the register form");
        var token = Antiforgery().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups["value"].Value) : throw new BenchException("the register page has no antiforgery token");
        var location = await stats.TimeAsync(PostRegister, () => client.PostAsync("/Identity/Account/Register", new FormUrlEncodedContent(
        [
            new("Input.Email", email), new("Input.Password", Password), new("Input.ConfirmPassword", Password), new("__RequestVerificationToken", token),
        ])), HttpStatusCode.Found);
        Html.ExpectLocation(location, "/");
        var home = await stats.TimeAsync(GetHome, () => client.GetAsync("/"), HttpStatusCode.OK);
        Html.Expect(home, $"Hello {email}!", "the signed-in home page");
        stats.Add(Stats.WalkKind, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static Regex Antiforgery() => AntiforgeryRegex;
    private static readonly Regex AntiforgeryRegex = new("<input\\b[^>]*\\bname=\"__RequestVerificationToken\"[^>]*\\bvalue=\"(?<value>[^\"]*)\"", RegexOptions.Compiled);

    private static int CountPeerUsers(string path, string prefix)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM AspNetUsers WHERE Email LIKE $prefix";
        command.Parameters.AddWithValue("$prefix", prefix + "%");
        return Convert.ToInt32(command.ExecuteScalar());
    }
}
