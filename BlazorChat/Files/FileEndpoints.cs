using BlazorChat.Chat;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http.Features;

namespace BlazorChat.Files;

/// <summary>
/// The HTTP side of files: a streaming upload of the raw request body (never through the circuit, never buffered), a
/// download served as an attachment, and a preview for raster images only. Identity is the request's signed-in user;
/// the router decides the rest. Anyone who may not see a file, signed in or not, gets 404, as for a file that never was.
/// </summary>
public static partial class FileEndpoints
{
    public const string BasePath = "/files";

    /// <summary>What every file response carries: nothing in it may run, be sniffed into another type, or be cached.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox";

    public static IEndpointRouteBuilder MapFileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var files = endpoints.MapGroup(BasePath).RequireAuthorization().WithMetadata(new FileEndpointMarker())
            .AddEndpointFilter(static (context, next) =>
            {
                PlainStatus(context.HttpContext);
                return next(context);
            });
        files.MapPost("", UploadAsync);
        files.MapGet("{id:guid}", Download);
        files.MapGet("{id:guid}/preview", Preview);
        return endpoints;
    }

    /// <summary>The refusal a person reads, with the limit in it.</summary>
    public static string RefusalText(FileRefusal reason, long maxFileSize, int maxFilesPerChat, int maxUploadsPerMinute) => reason switch
    {
        FileRefusal.TooLarge => $"Files up to {FileNames.Size(maxFileSize)}.",
        FileRefusal.TooMany => $"A chat holds up to {maxFilesPerChat:N0} files.",
        FileRefusal.TooFast => $"You are sending files very fast (up to {maxUploadsPerMinute:N0} a minute). Wait a moment.",
        _ => "The server has no room for more files right now. Try again later.",
    };

    private static async Task<IResult> UploadAsync(
        HttpContext context, long chat, string? name, ChatRouter router, FileStore store, IAntiforgery antiforgery,
        Microsoft.Extensions.Options.IOptions<FilesOptions> options, ILogger<FileStore> logger)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.Json(new UploadAnswer(Error: "This page is out of date. Reload it and send the file again."), statusCode: StatusCodes.Status400BadRequest);
        }

        var user = context.User.Identity?.Name ?? "";
        var start = router.BeginUpload(user, chat, name, context.Request.ContentType, context.Request.ContentLength);
        switch (start.Status)
        {
            case UploadStatus.NotInChat:
                return Results.NotFound();
            case UploadStatus.TooLarge:
                return Refused(FileRefusal.TooLarge, options.Value);
            case UploadStatus.TooMany:
                return Refused(FileRefusal.TooMany, options.Value);
            case UploadStatus.TooFast:
                return Refused(FileRefusal.TooFast, options.Value);
        }

        // Kestrel's own limit (30 MB) is for everything else; this request may carry one file's worth, and no more.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = options.Value.MaxFileSize;
        }

        using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, start.Cancelled);
        try
        {
            var stored = await store.WriteAsync(start.FileId, context.Request.Body, cancelled.Token);
            if (router.CompleteUpload(stored) is not { } shared)
            {
                // The chat ended as the last bytes arrived.
                store.Delete([stored.Id]);
                return Results.NotFound();
            }

            Log.Stored(logger, shared.Id, shared.Size);
            return Results.Json(new UploadAnswer(shared.Id, shared.Name, shared.Size));
        }
        catch (FileRefusedException ex)
        {
            router.AbandonUpload(start.FileId);
            return Refused(ex.Reason, options.Value);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            router.AbandonUpload(start.FileId);
            return Refused(FileRefusal.TooLarge, options.Value);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The browser cancelled or went away, or the chat ended: the store has removed what it wrote.
            router.AbandonUpload(start.FileId);
            return start.Cancelled.IsCancellationRequested ? Results.NotFound() : Results.Empty;
        }
    }

    private static IResult Download(HttpContext context, Guid id, ChatRouter router, FileStore store)
    {
        if (router.FindFile(context.User.Identity?.Name ?? "", id) is not { } file || store.OpenRead(id) is not { } stream)
        {
            return Results.NotFound();
        }

        Sandbox(context);
        return Results.File(stream, "application/octet-stream", file.Name, enableRangeProcessing: true);
    }

    // Only a PNG, JPEG, GIF or WebP whose bytes say so, served as that type; never SVG, HTML or anything else inline.
    private static IResult Preview(HttpContext context, Guid id, ChatRouter router, FileStore store)
    {
        if (router.FindFile(context.User.Identity?.Name ?? "", id) is not { PreviewType: { } type } || store.OpenRead(id) is not { } stream)
        {
            return Results.NotFound();
        }

        Sandbox(context);
        context.Response.Headers.ContentDisposition = "inline";
        return Results.File(stream, type, enableRangeProcessing: true);
    }

    /// <summary>
    /// A file request's 404 (or other status) goes out as it is: the app's "not found" page re-executed for it would be
    /// a page, and for a POST a refused form.
    /// </summary>
    internal static void PlainStatus(HttpContext context)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }
    }

    private static void Sandbox(HttpContext context)
    {
        Hosting.SecurityHeaders.SetOwnContentSecurityPolicy(context, ContentSecurityPolicy);
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
    }

    private static IResult Refused(FileRefusal reason, FilesOptions options) => Results.Json(
        new UploadAnswer(Error: RefusalText(reason, options.MaxFileSize, options.MaxFilesPerChat, options.MaxUploadsPerMinute)),
        statusCode: reason switch
        {
            FileRefusal.TooLarge => StatusCodes.Status413PayloadTooLarge,
            FileRefusal.TooMany => StatusCodes.Status409Conflict,
            FileRefusal.TooFast => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status507InsufficientStorage,
        });

    /// <summary>What an upload answers: the stored file, or why it was refused.</summary>
    public sealed record UploadAnswer(Guid? Id = null, string? Name = null, long? Size = null, string? Error = null);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Stored file {FileId} ({Size} bytes)")]
        public static partial void Stored(ILogger logger, Guid fileId, long size);
    }
}

/// <summary>Marks the file endpoints, whose refusals of a signed-out request are a 404 rather than a sign-in redirect.</summary>
internal sealed class FileEndpointMarker;

/// <summary>
/// A signed-out request for a file gets 404 like a stranger's, not a redirect to sign in that would tell a file is
/// there. Every other endpoint keeps the default (redirect, 403).
/// </summary>
internal sealed class FileAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Succeeded && context.GetEndpoint()?.Metadata.GetMetadata<FileEndpointMarker>() is not null)
        {
            FileEndpoints.PlainStatus(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

public static class FilesExtensions
{
    /// <summary>Registers the file store, its options (checked at start) and the 404 for signed-out file requests.</summary>
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<FilesOptions>>(
            new Hosting.SettingNames<FilesOptions>(FilesOptions.SectionName, new FilesOptionsValidator()));
        services.AddSingleton<FileStore>();
        services.AddHostedService(static sp => sp.GetRequiredService<FileStore>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, FileAuthorizationResultHandler>();
        return services;
    }
}
