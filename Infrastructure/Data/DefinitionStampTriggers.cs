using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// The triggers that move <c>definition_stamps.version</c> whenever a flow definition table is written. Triggers,
/// not application code: admin pages, the API, blueprints, bulk <c>ExecuteUpdate</c>s, another server process
/// and an admin's own SQL all move it, in the writing transaction, so no cache can outlive a change.
/// </summary>
public static class DefinitionStampTriggers
{
    /// <summary>The tables a flow step reads its definition from (<see cref="FlowExecution.FlowDefinitions"/>).</summary>
    public static readonly string[] Tables =
        ["flows", "flow_stage_bindings", "stages", "prompts", "prompt_stage_fields", "prompt_stage_validation_policies", "policies", "policy_bindings"];

    public static string TriggerName(string table) => $"tr_{table}_definition_stamp";

    private const string Bump = "UPDATE definition_stamps SET version = version + 1 WHERE id = 1";

    /// <summary>
    /// EF must know of the triggers: on SQL Server it then saves without <c>OUTPUT</c> (which triggers forbid), on
    /// SQLite without <c>RETURNING</c>.
    /// </summary>
    public static void Declare(IMutableModel model)
    {
        foreach (var type in model.GetEntityTypes().Where(t => t.BaseType is null && Tables.Contains(t.GetTableName())))
            type.AddTrigger(TriggerName(type.GetTableName()!));
    }

    // SQLite triggers fire for one event each.
    private static readonly string[] SqliteEvents = ["INSERT", "UPDATE", "DELETE"];

    private static string SqliteTriggerName(string table, string e) => $"{TriggerName(table)}_{e.ToLowerInvariant()}";

    public static IEnumerable<string> CreateSqlite() => Tables.SelectMany(t => SqliteEvents.Select(e =>
        $"CREATE TRIGGER \"{SqliteTriggerName(t, e)}\" AFTER {e} ON \"{t}\" BEGIN {Bump}; END;"));

    public static IEnumerable<string> DropSqlite() => Tables.SelectMany(t => SqliteEvents.Select(e =>
        $"DROP TRIGGER IF EXISTS \"{SqliteTriggerName(t, e)}\";"));

    // One statement-level trigger per table; TRUNCATE too.
    public static IEnumerable<string> CreatePostgres() =>
        new[] { $"CREATE OR REPLACE FUNCTION bump_definition_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {Bump}; RETURN NULL; END $$;" }
            .Concat(Tables.Select(t =>
                $"CREATE TRIGGER \"{TriggerName(t)}\" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"{t}\" FOR EACH STATEMENT EXECUTE FUNCTION bump_definition_stamp();"));

    public static IEnumerable<string> DropPostgres() =>
        Tables.Select(t => $"DROP TRIGGER IF EXISTS \"{TriggerName(t)}\" ON \"{t}\";").Append("DROP FUNCTION IF EXISTS bump_definition_stamp();");

    // CREATE TRIGGER must open its batch; EXEC gives it one, also inside the IF blocks of an idempotent script.
    public static IEnumerable<string> CreateSqlServer() => Tables.Select(t =>
        $"EXEC(N'CREATE TRIGGER [{TriggerName(t)}] ON [{t}] AFTER INSERT, UPDATE, DELETE AS BEGIN SET NOCOUNT ON; {Bump}; END;');");

    public static IEnumerable<string> DropSqlServer() => Tables.Select(t => $"DROP TRIGGER IF EXISTS [{TriggerName(t)}];");
}
