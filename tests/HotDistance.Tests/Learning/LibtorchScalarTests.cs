using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace HotDistance.Tests.Learning;

/// <summary>
/// A number handed to libtorch as a TorchSharp <c>Scalar</c> made on the fly (<c>tensor * 0.5</c>, which TorchSharp
/// converts inside its operator, or an implicit conversion in our code) is a temporary that nothing holds while
/// libtorch reads it: a garbage collection in the middle of the call can finalize it, and libtorch then reads freed
/// memory (blockwise prediction died after hundreds of blocks with "Unknown scalar type" and in Scalar::toDouble).
/// The race is too rare to provoke in a test, so this one checks the cause: no assembly of ours calls a Tensor
/// operator with a number or converts a number to a Scalar implicitly; scalars are made with <c>ToScalar()</c> and
/// held (<c>using var</c>) for the call.
/// </summary>
public sealed class LibtorchScalarTests
{
    private static readonly HashSet<string> ArithmeticOperators = ["op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_Modulus"];

    [Fact]
    public void No_assembly_of_ours_hands_libtorch_a_scalar_it_does_not_hold()
    {
        var tests = typeof(LibtorchScalarTests).Assembly.Location;
        var assemblies = Directory.EnumerateFiles(Path.GetDirectoryName(tests)!, "HotDistance.*.dll")
            .Where(f => Path.GetFileName(f) != Path.GetFileName(tests))
            .ToList();
        Assert.Contains(assemblies, f => Path.GetFileName(f) == "HotDistance.Learning.dll");

        var offenders = assemblies.SelectMany(a => UnheldScalars(a).Select(call => $"{Path.GetFileName(a)}: {call}")).ToList();

        Assert.True(offenders.Count == 0, $"libtorch gets numbers through temporary Scalars (use ToScalar() held by a using): {string.Join("; ", offenders)}");
    }

    [Fact]
    public void The_check_finds_an_operator_with_a_number()
    {
        // WhatTheRuleForbids (never run) is in this test assembly, so the check is seen to catch it.
        Assert.Contains("Tensor.op_Multiply(Tensor, double)", UnheldScalars(typeof(LibtorchScalarTests).Assembly.Location));
    }

    private static TorchSharp.torch.Tensor WhatTheRuleForbids(TorchSharp.torch.Tensor tensor) => tensor * 0.5;

    private static List<string> UnheldScalars(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var image = new PEReader(stream);
        var metadata = image.GetMetadataReader();
        var calls = new List<string>();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            var name = metadata.GetString(member.Name);
            if (member.Parent.Kind != HandleKind.TypeReference || member.GetKind() != MemberReferenceKind.Method)
            {
                continue;
            }

            var (space, type) = FullName(metadata, (TypeReferenceHandle)member.Parent);
            if (!space.StartsWith("TorchSharp", StringComparison.Ordinal))
            {
                continue;
            }

            var signature = member.DecodeMethodSignature(new TypeNames(), null);
            var implicitScalar = type == "Scalar" && name == "op_Implicit";
            var operatorWithNumber = type.EndsWith("Tensor", StringComparison.Ordinal) && ArithmeticOperators.Contains(name) && signature.ParameterTypes.Any(TypeNames.IsNumber);
            if (implicitScalar || operatorWithNumber)
            {
                calls.Add($"{type}.{name}({string.Join(", ", signature.ParameterTypes)})");
            }
        }

        return calls;
    }

    /// <summary>The namespace of the outermost type and the type's name (nested types carry no namespace of their own).</summary>
    private static (string Namespace, string Name) FullName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var reference = metadata.GetTypeReference(handle);
        var name = metadata.GetString(reference.Name);
        return reference.ResolutionScope.Kind == HandleKind.TypeReference
            ? (FullName(metadata, (TypeReferenceHandle)reference.ResolutionScope).Namespace, name)
            : (metadata.GetString(reference.Namespace), name);
    }

    /// <summary>Parameter types by name: enough to tell numbers from tensors.</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        private static readonly HashSet<string> Numbers = ["double", "float", "int", "long", "short", "byte", "sbyte", "bool"];

        public static bool IsNumber(string type) => Numbers.Contains(type);

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Double => "double",
            PrimitiveTypeCode.Single => "float",
            PrimitiveTypeCode.Int32 => "int",
            PrimitiveTypeCode.Int64 => "long",
            PrimitiveTypeCode.Int16 => "short",
            PrimitiveTypeCode.Byte => "byte",
            PrimitiveTypeCode.SByte => "sbyte",
            PrimitiveTypeCode.Boolean => "bool",
            _ => typeCode.ToString(),
        };

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "?";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => "ref " + elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(", ", typeArguments)}>";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;
    }
}
