using System.Text;

namespace Enrollment.Infrastructure.Blueprints;

public enum BlueprintLogLevel { Info, Warning, Error }
