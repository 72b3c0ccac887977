using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace BlazorChat.Tests.Accounts;

/// <summary>Just enough of a host environment for <c>UserSeeder</c>: the content root is a test's temp folder.</summary>
internal sealed class TestHostEnvironment(string contentRootPath) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Test";

    public string ApplicationName { get; set; } = "BlazorChat.Tests";

    public string ContentRootPath { get; set; } = contentRootPath;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
