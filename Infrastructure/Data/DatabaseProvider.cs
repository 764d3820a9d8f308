using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, Postgres, SqlServer }
