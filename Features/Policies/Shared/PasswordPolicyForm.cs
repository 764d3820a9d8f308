using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Policies.Shared;

/// <summary>
/// The fields of a password policy as the create and edit forms post them; a new form carries authentik's defaults.
/// The limits are the blueprint's and the API's: counts are never negative, the zxcvbn threshold is a score below 4.
/// </summary>
public class PasswordPolicyForm
{
    private const string NotNegative = "Enter 0 or more.";

    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200, ErrorMessage = "Use at most 200 characters.")]
    public string Name { get; set; } = "";

    public bool ExecutionLogging { get; set; }

    [Required(ErrorMessage = "Enter the field key of the password prompt to check, e.g. password.")]
    [StringLength(200, ErrorMessage = "Use at most 200 characters.")]
    public string PasswordField { get; set; } = "password";

    public bool CheckStaticRules { get; set; } = true;

    [Range(0, int.MaxValue, ErrorMessage = NotNegative)]
    public int LengthMin { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = NotNegative)]
    public int AmountDigits { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = NotNegative)]
    public int AmountUppercase { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = NotNegative)]
    public int AmountLowercase { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = NotNegative)]
    public int AmountSymbols { get; set; }

    /// <summary>Spaces count: authentik's default set ends with one.</summary>
    [Required(AllowEmptyStrings = true, ErrorMessage = "Enter the characters that count as symbols.")]
    [MinLength(1, ErrorMessage = "Enter the characters that count as symbols.")]
    [StringLength(1000, ErrorMessage = "Use at most 1,000 characters.")]
    public string SymbolCharset { get; set; } = PasswordPolicy.DefaultSymbolCharset;

    [StringLength(1000, ErrorMessage = "Use at most 1,000 characters.")]
    public string? ErrorMessage { get; set; }

    public bool CheckZxcvbn { get; set; }

    [Range(0, PasswordPolicy.MaxScore - 1, ErrorMessage = "Choose a threshold from 0 to 3: a password scoring at or below it fails, and no score is above 4.")]
    public int ZxcvbnScoreThreshold { get; set; } = 2;

    public bool CheckHaveIBeenPwned { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = NotNegative)]
    public int HibpAllowedCount { get; set; }

    /// <summary>The check that needs the database: a unique name, among policies of every kind.</summary>
    internal async Task<List<FieldError>> ValidateAsync(AppDbContext db, Guid? self, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (await PolicyForm.NameTakenAsync(db, Name, self, ct) is { } taken) errors.Add(taken);
        return errors;
    }

    public void ApplyTo(PasswordPolicy policy)
    {
        policy.Name = Name.Trim();
        policy.ExecutionLogging = ExecutionLogging;
        policy.PasswordField = PasswordField.Trim();
        policy.CheckStaticRules = CheckStaticRules;
        policy.LengthMin = LengthMin;
        policy.AmountDigits = AmountDigits;
        policy.AmountUppercase = AmountUppercase;
        policy.AmountLowercase = AmountLowercase;
        policy.AmountSymbols = AmountSymbols;
        policy.SymbolCharset = SymbolCharset;
        policy.ErrorMessage = ErrorMessage?.Trim() ?? "";
        policy.CheckZxcvbn = CheckZxcvbn;
        policy.ZxcvbnScoreThreshold = ZxcvbnScoreThreshold;
        policy.CheckHaveIBeenPwned = CheckHaveIBeenPwned;
        policy.HibpAllowedCount = HibpAllowedCount;
    }

    public static T From<T>(PasswordPolicy policy) where T : PasswordPolicyForm, new() => new()
    {
        Name = policy.Name,
        ExecutionLogging = policy.ExecutionLogging,
        PasswordField = policy.PasswordField,
        CheckStaticRules = policy.CheckStaticRules,
        LengthMin = policy.LengthMin,
        AmountDigits = policy.AmountDigits,
        AmountUppercase = policy.AmountUppercase,
        AmountLowercase = policy.AmountLowercase,
        AmountSymbols = policy.AmountSymbols,
        SymbolCharset = policy.SymbolCharset,
        ErrorMessage = policy.ErrorMessage,
        CheckZxcvbn = policy.CheckZxcvbn,
        ZxcvbnScoreThreshold = policy.ZxcvbnScoreThreshold,
        CheckHaveIBeenPwned = policy.CheckHaveIBeenPwned,
        HibpAllowedCount = policy.HibpAllowedCount,
    };
}
