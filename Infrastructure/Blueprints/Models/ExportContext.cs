namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>
/// What writing one blueprint needs beyond an object's own fields: the <c>id</c> of the entry each referenced
/// object is written under (for <c>!KeyOf</c>), and the usernames of referenced users (for <c>!Find</c>).
/// </summary>
public sealed class ExportContext
{
    private readonly Dictionary<Guid, string> entryIds = [];
    private readonly Dictionary<int, string> usernames = [];

    public void AddEntry(Guid pk, string id) => entryIds[pk] = id;

    public void AddUser(int pk, string username) => usernames[pk] = username;

    /// <exception cref="InvalidOperationException">The object is not written in this blueprint.</exception>
    public string EntryId(Guid pk) =>
        entryIds.TryGetValue(pk, out var id) ? id : throw new InvalidOperationException($"No entry for the object with pk {pk} in this export.");

    public string Username(int pk) => usernames.GetValueOrDefault(pk, "");
}
