using System.Linq.Expressions;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>
/// What writing a field may need besides the value: the database (references), Identity (users: the hasher, the
/// normalizer, the password rules of <paramref name="Users"/>) and the embedded Python (syntax of expressions; null or
/// unavailable: not checked).
/// </summary>
public sealed record WriteContext(AppDbContext Db, IPasswordHasher<User> Hasher, ILookupNormalizer Normalizer, CancellationToken Ct,
    Python.PythonExpressions? Python = null, UserManager<User>? Users = null);
